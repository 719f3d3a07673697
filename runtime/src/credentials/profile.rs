//! The shared AWS config (`~/.aws/config`) and credentials (`~/.aws/credentials`) files.
//!
//! Both are INI-like files parsed by hand here (no dependency): `[section]` lines, `key = value`
//! properties, `#`/`;` comment lines, and indented continuation lines. In the config file a
//! profile's section is `[profile NAME]`, except `[default]`; other sections (`[sso-session x]`,
//! `[services x]`, or a bare `[NAME]`) are not profiles and are skipped. In the credentials file
//! a section is just `[NAME]`. When both files define a profile, the credentials file wins for
//! each property it sets.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::env::{Env, Fs};

/// Which of the two shared files a text comes from; they name sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileFileKind {
    /// `~/.aws/config`: sections are `[profile NAME]` or `[default]`.
    Config,
    /// `~/.aws/credentials`: sections are `[NAME]`.
    Credentials,
}

/// A shared file could not be read or parsed. Never quotes file contents (they hold secrets).
#[derive(Debug)]
#[non_exhaustive]
pub enum ProfileFileError {
    /// The file exists but could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line of the file is malformed.
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line (never the line itself).
        message: &'static str,
    },
}

impl std::fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "could not read {}: {source}", path.display()),
            Self::Parse {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
        }
    }
}

impl std::error::Error for ProfileFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } => Some(source),
            Self::Parse { .. } => None,
        }
    }
}

/// One named profile: its properties, with keys lower-cased.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: HashMap<String, String>,
}

impl Profile {
    /// The profile's name (without the `profile ` prefix of the config file).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property's value; keys are matched case-insensitively.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }
}

impl fmt::Debug for Profile {
    // Property values are not shown: `aws_secret_access_key` is one of them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.properties.keys().collect();
        keys.sort();
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("property_names", &keys)
            .finish()
    }
}

/// All profiles of one or more files.
#[derive(Clone, Debug, Default)]
pub struct ProfileSet {
    profiles: HashMap<String, Profile>,
    /// The config file's `[sso-session NAME]` sections, by name.
    sso_sessions: HashMap<String, Profile>,
}

impl ProfileSet {
    /// Parses the text of one file; `path` is only used in error messages.
    pub fn parse(
        contents: &str,
        kind: ProfileFileKind,
        path: &Path,
    ) -> Result<Self, ProfileFileError> {
        Parser::new(kind, path).run(contents)
    }

    /// The profile called `name`, if any file defined it.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of all profiles, sorted.
    /// A `[TYPE NAME]` section of the config file that is not a profile, as a [`Profile`]
    /// named `NAME`; only `sso-session` sections are kept.
    pub fn section(&self, kind: &str, name: &str) -> Option<&Profile> {
        match kind {
            "sso-session" => self.sso_sessions.get(name),
            _ => None,
        }
    }

    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Adds `other`'s profiles; where both set a property, `other` wins.
    pub fn merge(&mut self, other: ProfileSet) {
        for (name, profile) in other.profiles {
            self.profile_mut(&name)
                .properties
                .extend(profile.properties);
        }
        for (name, session) in other.sso_sessions {
            self.section_mut(&Section::SsoSession(name))
                .properties
                .extend(session.properties);
        }
    }

    fn section_mut(&mut self, section: &Section) -> &mut Profile {
        match section {
            Section::Profile(name) => self.profile_mut(name),
            Section::SsoSession(name) => {
                self.sso_sessions
                    .entry(name.clone())
                    .or_insert_with(|| Profile {
                        name: name.clone(),
                        properties: HashMap::new(),
                    })
            }
        }
    }

    fn profile_mut(&mut self, name: &str) -> &mut Profile {
        self.profiles
            .entry(name.to_owned())
            .or_insert_with(|| Profile {
                name: name.to_owned(),
                properties: HashMap::new(),
            })
    }
}

/// Line-by-line parser state.
struct Parser<'a> {
    kind: ProfileFileKind,
    path: &'a Path,
    set: ProfileSet,
    /// Current section: `Some(profile name)`, or `None` for a skipped non-profile section.
    section: Option<Option<Section>>,
    /// Key of the last property, for continuation lines.
    last_key: Option<String>,
}

impl<'a> Parser<'a> {
    fn new(kind: ProfileFileKind, path: &'a Path) -> Self {
        Self {
            kind,
            path,
            set: ProfileSet::default(),
            section: None,
            last_key: None,
        }
    }

    fn run(mut self, contents: &str) -> Result<ProfileSet, ProfileFileError> {
        // Editors on Windows may save a byte-order mark, which is not whitespace.
        let contents = contents.strip_prefix('\u{feff}').unwrap_or(contents);
        for (index, line) in contents.lines().enumerate() {
            self.line(index + 1, line)?;
        }
        Ok(self.set)
    }

    fn error(&self, line: usize, message: &'static str) -> ProfileFileError {
        ProfileFileError::Parse {
            path: self.path.to_owned(),
            line,
            message,
        }
    }

    fn line(&mut self, number: usize, line: &str) -> Result<(), ProfileFileError> {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            return Ok(());
        }
        if trimmed.starts_with('[') {
            return self.section_line(number, trimmed);
        }
        let indented = line.starts_with(|c: char| c.is_whitespace());
        if indented && self.last_key.is_some() {
            self.continuation_line(trimmed);
            return Ok(());
        }
        self.property_line(number, trimmed)
    }

    fn section_line(&mut self, number: usize, trimmed: &str) -> Result<(), ProfileFileError> {
        let Some(end) = trimmed.find(']') else {
            return Err(self.error(number, "section header has no closing `]`"));
        };
        let header = trimmed[1..end].trim();
        self.section = Some(section_of_header(self.kind, header));
        if let Some(Some(section)) = &self.section {
            // Registering the profile here makes an empty `[default]` section count as present.
            let section = section.clone();
            self.set.section_mut(&section);
        }
        self.last_key = None;
        Ok(())
    }

    fn continuation_line(&mut self, trimmed: &str) {
        let (Some(Some(profile)), Some(key)) = (&self.section, &self.last_key) else {
            return;
        };
        let (profile, key) = (profile.clone(), key.clone());
        let value = self
            .set
            .section_mut(&profile)
            .properties
            .entry(key)
            .or_default();
        value.push('\n');
        value.push_str(strip_inline_comment(trimmed));
    }

    fn property_line(&mut self, number: usize, trimmed: &str) -> Result<(), ProfileFileError> {
        let Some(section) = &self.section else {
            return Err(self.error(number, "property is outside of any [section]"));
        };
        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(self.error(number, "expected `key = value`"));
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(self.error(number, "property has an empty name"));
        }
        if let Some(profile) = section.clone() {
            let value = strip_inline_comment(value.trim()).to_owned();
            self.set
                .section_mut(&profile)
                .properties
                .insert(key.clone(), value);
        }
        self.last_key = Some(key);
        Ok(())
    }
}

/// Maps a section header (text between the brackets) to a profile name, or `None` for
/// sections that are not profiles.
/// A section whose properties are kept.
#[derive(Clone, Debug)]
enum Section {
    Profile(String),
    SsoSession(String),
}

fn section_of_header(kind: ProfileFileKind, header: &str) -> Option<Section> {
    if kind == ProfileFileKind::Config {
        if let Some(rest) = header.strip_prefix("sso-session") {
            let name = rest.trim();
            if rest.starts_with(char::is_whitespace) && !name.is_empty() {
                return Some(Section::SsoSession(name.to_owned()));
            }
        }
    }
    profile_name_of_section(kind, header).map(Section::Profile)
}

fn profile_name_of_section(kind: ProfileFileKind, header: &str) -> Option<String> {
    if header.is_empty() {
        return None;
    }
    match kind {
        ProfileFileKind::Credentials => Some(header.to_owned()),
        ProfileFileKind::Config if header == "default" => Some(header.to_owned()),
        ProfileFileKind::Config => {
            let rest = header.strip_prefix("profile")?;
            // `[profilefoo]` is not `[profile foo]`.
            if !rest.starts_with(|c: char| c.is_whitespace()) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then(|| name.to_owned())
        }
    }
}

/// Removes a `#` or `;` comment that follows whitespace. Values such as secret keys never
/// contain whitespace, so this cannot cut a real value short.
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (index, byte) in bytes.iter().enumerate() {
        let starts_comment =
            (*byte == b'#' || *byte == b';') && index > 0 && bytes[index - 1].is_ascii_whitespace();
        if starts_comment {
            return value[..index].trim_end();
        }
    }
    value
}

/// One shared file that was looked for while loading profiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchedFile {
    /// The file was found and parsed.
    Found(PathBuf),
    /// The file does not exist.
    Missing(PathBuf),
    /// No path could be formed: no override variable and no home directory.
    NoHome(ProfileFileKind),
}

impl fmt::Display for SearchedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Found(path) => write!(f, "{}", path.display()),
            Self::Missing(path) => write!(f, "{} (not found)", path.display()),
            Self::NoHome(ProfileFileKind::Config) => {
                f.write_str("config file (AWS_CONFIG_FILE and HOME unset)")
            }
            Self::NoHome(ProfileFileKind::Credentials) => {
                f.write_str("credentials file (AWS_SHARED_CREDENTIALS_FILE and HOME unset)")
            }
        }
    }
}

/// Where the shared files are and which profile is selected, from an [`Env`] and an [`Fs`].
#[derive(Clone, Debug, Default)]
pub struct ProfileFiles {
    env: Env,
    fs: Fs,
    profile_override: Option<String>,
}

impl ProfileFiles {
    /// Uses `env` for `AWS_PROFILE`, `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` and `HOME`,
    /// and `fs` to read the files.
    pub fn new(env: Env, fs: Fs) -> Self {
        Self {
            env,
            fs,
            profile_override: None,
        }
    }

    /// Selects `name` regardless of `AWS_PROFILE`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_override = Some(name.into());
        self
    }

    /// The selected profile: the override, else `AWS_PROFILE`, else `default`.
    pub fn selected_profile(&self) -> String {
        self.profile_override
            .clone()
            .or_else(|| self.env.get("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned())
    }

    /// Path of one of the two files: the override variable (with `~` expanded), else under
    /// `~/.aws/`; `None` if neither is available.
    pub fn path(&self, kind: ProfileFileKind) -> Option<PathBuf> {
        let (variable, default_name) = match kind {
            ProfileFileKind::Config => ("AWS_CONFIG_FILE", "config"),
            ProfileFileKind::Credentials => ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        };
        match self.env.get(variable) {
            Some(path) => Some(self.expand_home(&path)),
            None => Some(self.env.home_dir()?.join(".aws").join(default_name)),
        }
    }

    fn expand_home(&self, path: &str) -> PathBuf {
        let rest = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => rest,
            _ => return PathBuf::from(path),
        };
        match self.env.home_dir() {
            Some(home) => home.join(rest.trim_start_matches(['/', '\\'])),
            None => PathBuf::from(path),
        }
    }

    /// Reads and merges both files (credentials over config).
    pub fn load(&self) -> Result<LoadedProfiles, ProfileFileError> {
        let mut loaded = LoadedProfiles {
            profiles: ProfileSet::default(),
            selected: self.selected_profile(),
            searched: Vec::new(),
        };
        for kind in [ProfileFileKind::Config, ProfileFileKind::Credentials] {
            self.load_one(kind, &mut loaded)?;
        }
        Ok(loaded)
    }

    fn load_one(
        &self,
        kind: ProfileFileKind,
        loaded: &mut LoadedProfiles,
    ) -> Result<(), ProfileFileError> {
        let Some(path) = self.path(kind) else {
            loaded.searched.push(SearchedFile::NoHome(kind));
            return Ok(());
        };
        let contents = self
            .fs
            .read_optional(&path)
            .map_err(|source| ProfileFileError::Read {
                path: path.clone(),
                source,
            })?;
        match contents {
            Some(contents) => {
                loaded
                    .profiles
                    .merge(ProfileSet::parse(&contents, kind, &path)?);
                loaded.searched.push(SearchedFile::Found(path));
            }
            None => loaded.searched.push(SearchedFile::Missing(path)),
        }
        Ok(())
    }
}

/// The result of [`ProfileFiles::load`].
#[derive(Clone, Debug)]
pub struct LoadedProfiles {
    /// Profiles of both files, merged.
    pub profiles: ProfileSet,
    /// Name of the selected profile.
    pub selected: String,
    /// The files looked for, in order.
    pub searched: Vec<SearchedFile>,
}

impl LoadedProfiles {
    /// The selected profile, if either file defines it.
    pub fn selected_profile(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// Human-readable list of the files looked in, for error messages.
    pub fn describe_sources(&self) -> String {
        self.searched
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, kind: ProfileFileKind) -> ProfileSet {
        ProfileSet::parse(text, kind, Path::new("f")).expect("parses")
    }

    #[test]
    fn config_sections_need_profile_prefix_except_default() {
        let set = parse(
            "[default]\nregion = a\n[profile dev]\nregion=b\n[bare]\nregion=c\n[sso-session s]\nx=y\n",
            ProfileFileKind::Config,
        );
        assert_eq!(set.names(), vec!["default", "dev"]);
        assert_eq!(set.get("dev").and_then(|p| p.get("region")), Some("b"));
    }

    #[test]
    fn credentials_sections_are_bare_names() {
        let set = parse(
            "[dev]\naws_access_key_id = AK\n",
            ProfileFileKind::Credentials,
        );
        assert_eq!(
            set.get("dev").and_then(|p| p.get("AWS_ACCESS_KEY_ID")),
            Some("AK")
        );
    }

    #[test]
    fn comments_whitespace_and_continuations() {
        let text = "# top\n; also\n\n  [ default ]  # note\nregion = us-west-2 ; why\n\
                    s3 =\n  max_concurrent_requests = 10\nkey=a#b\n";
        let set = parse(text, ProfileFileKind::Config);
        let profile = set.get("default").expect("default");
        assert_eq!(profile.get("region"), Some("us-west-2"));
        assert_eq!(profile.get("key"), Some("a#b"));
        assert_eq!(profile.get("s3"), Some("\nmax_concurrent_requests = 10"));
    }

    #[test]
    fn malformed_lines_report_line_numbers_not_contents() {
        let error = ProfileSet::parse(
            "[default]\nsecretvalue\n",
            ProfileFileKind::Credentials,
            Path::new("c"),
        )
        .expect_err("malformed");
        let message = error.to_string();
        assert_eq!(message, "c:2: expected `key = value`");
        let error = ProfileSet::parse("a = b\n", ProfileFileKind::Config, Path::new("c"))
            .expect_err("no section");
        assert!(error.to_string().contains("c:1"));
        assert!(ProfileSet::parse("[default\n", ProfileFileKind::Config, Path::new("c")).is_err());
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        let set = parse(
            "\u{feff}[default]\r\nregion = x\r\n",
            ProfileFileKind::Config,
        );
        assert_eq!(set.get("default").and_then(|p| p.get("region")), Some("x"));
    }

    #[test]
    fn merge_prefers_later_set() {
        let mut config = parse("[profile p]\na = 1\nb = 2\n", ProfileFileKind::Config);
        config.merge(parse("[p]\na = 3\n", ProfileFileKind::Credentials));
        let profile = config.get("p").expect("p");
        assert_eq!((profile.get("a"), profile.get("b")), (Some("3"), Some("2")));
    }

    #[test]
    fn debug_hides_values() {
        let set = parse(
            "[p]\naws_secret_access_key = SECRET\n",
            ProfileFileKind::Credentials,
        );
        assert!(!format!("{set:?}").contains("SECRET"));
    }
}
