//! keruen-store (to be written).
