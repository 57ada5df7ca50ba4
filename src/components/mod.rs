//! The app's visual pieces; each renders, the logic sits in plain functions.

pub mod bench;
pub mod charts;
pub mod corpus_settings;
pub mod dashboard;
pub mod document;
pub mod drop_zone;
pub mod duplicates;
pub mod exports;
pub mod format;
pub mod library;
pub mod link_prompt;
pub mod mapping;
pub mod problems;
pub mod search;
pub mod settings;
pub mod status;
