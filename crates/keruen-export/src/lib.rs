//! keruen-export (to be written).
