//! keruen-server (to be written).
