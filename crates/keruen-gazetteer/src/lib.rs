//! keruen-gazetteer (to be written).
