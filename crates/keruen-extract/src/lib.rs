//! keruen-extract (to be written).
