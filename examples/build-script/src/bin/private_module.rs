//! The generated client `include!`d into a private module of a binary, as a program using
//! build.rs would do it: the user's own lints apply to it, so it must compile without a single
//! warning (no unused re-exports, no dead code for the operations the program does not call)
//! and stay clippy-clean (CI runs clippy with `-D warnings` over this target).

mod mediapackagev2 {
    include!(concat!(env!("OUT_DIR"), "/mediapackagev2.rs"));
}

fn main() {
    let input = mediapackagev2::operation::get_harvest_job::GetHarvestJobInput::builder()
        .channel_group_name("group")
        .build();
    match input {
        Ok(input) => println!("{input:?}"),
        Err(error) => println!("{error}"),
    }
}
