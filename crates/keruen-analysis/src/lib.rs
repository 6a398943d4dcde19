//! keruen-analysis (to be written).
