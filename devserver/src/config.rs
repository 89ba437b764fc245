//! Command-line options. Hand-parsed: ten flags do not justify an argument-parser crate in a
//! binary whose cold compile time matters. Every value is checked here, so that a bad one stops
//! the start with a message (exit code 2) instead of failing a request later.

use std::fmt;
use std::time::Duration;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to bind; loopback unless asked otherwise.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// When set, requests must carry this key (`x-api-key` or `Authorization: Bearer`);
    /// when not, any key or none is accepted.
    pub api_key: Option<String>,
    /// Streaming pace; `None` streams as fast as the socket takes it (tests).
    pub tokens_per_second: Option<f64>,
    /// One log line per request on stderr.
    pub log: bool,
    /// Time each request of a Message Batch takes in the background, so that a poller sees
    /// `in_progress` before `ended`.
    pub batch_request_delay: Duration,
    /// Connections served at once; more get a 503 and are closed (each may buffer a 32 MB body).
    pub max_connections: usize,
    /// Web origins allowed besides loopback pages (`http://localhost:*` and the like), exactly
    /// as a browser sends them in `Origin`.
    pub cors_origins: Vec<String>,
    /// Any web page may call (the API's `access-control-allow-origin: *`).
    pub cors_any: bool,
    /// Bytes the Files API may hold in all (the API's organisation quota is 100 GB).
    pub files_quota: u64,
    /// Uploaded files may be downloaded: the API allows it only for files its tools made, which
    /// this server does not run, so tests of `download` turn it on.
    pub downloadable_uploads: bool,
}

/// The pace bounds: slower than one token in 100 s is not a pace, faster is no pacing.
const TOKENS_PER_SECOND: std::ops::RangeInclusive<f64> = 0.01..=1_000_000.0;

/// The most connections `--max-connections` may ask for.
const MAX_CONNECTIONS: usize = 100_000;

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8787,
            api_key: None,
            tokens_per_second: None,
            log: true,
            batch_request_delay: Duration::from_millis(50),
            max_connections: 64,
            cors_origins: Vec::new(),
            cors_any: false,
            files_quota: 100_000_000_000,
            downloadable_uploads: false,
        }
    }
}

/// The `--help` text.
pub const USAGE: &str = "\
devserver: a local, deterministic Anthropic Messages API server

usage: devserver [--port N] [--host ADDR] [--api-key KEY] [--tokens-per-second N]
                 [--max-connections N] [--cors-origin ORIGIN]... [--cors-any] [--quiet]
                 [--files-quota BYTES] [--downloadable-uploads]

  --port N               port to listen on (default 8787; 0 picks a free one)
  --host ADDR            address to bind (default 127.0.0.1)
  --api-key KEY          require this key (x-api-key or Authorization: Bearer); default: any
  --tokens-per-second N  pace streamed replies, 0.01 to 1000000 (default: no pacing)
  --max-connections N    connections served at once, more get 503 (default 64)
  --cors-origin ORIGIN   also let pages of ORIGIN (e.g. https://app.example) call; repeatable
                         (default: only loopback pages, http://localhost:*, 127.0.0.1, [::1])
  --cors-any             let any web page call (access-control-allow-origin: *)
  --quiet                no per-request log lines
  --files-quota BYTES    bytes the Files API holds in all (default 100 GB, the API's quota)
  --downloadable-uploads uploaded files can be downloaded (the API: only files its tools made)

Faults: header `x-devserver-fault: SPEC` or model suffix `MODEL+fault=SPEC`; see devserver/README.md.
";

/// A command line the server cannot run with.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `--help` was asked for.
    Help,
    /// What is wrong, for people.
    Invalid(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Help => f.write_str(USAGE),
            Self::Invalid(message) => write!(f, "{message}\n\n{USAGE}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the options (without the program name).
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) if name.starts_with("--") => {
                    (name.to_owned(), Some(value.to_owned()))
                }
                _ => (flag.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| ConfigError::Invalid(format!("{name} needs a value")))
            };
            match name.as_str() {
                "-h" | "--help" => return Err(ConfigError::Help),
                "--quiet" => config.log = false,
                "--host" => config.host = value()?,
                "--port" => {
                    let text = value()?;
                    config.port = text
                        .parse()
                        .map_err(|_| ConfigError::Invalid(format!("--port: not a port: {text}")))?;
                }
                "--api-key" => {
                    let key = value()?;
                    if key.is_empty() {
                        return Err(ConfigError::Invalid("--api-key: empty key".into()));
                    }
                    config.api_key = Some(key);
                }
                "--tokens-per-second" => {
                    let text = value()?;
                    match text.parse::<f64>() {
                        Ok(rate) if TOKENS_PER_SECOND.contains(&rate) => {
                            config.tokens_per_second = Some(rate)
                        }
                        _ => {
                            return Err(ConfigError::Invalid(format!(
                                "--tokens-per-second: not a number from 0.01 to 1000000: {text}"
                            )))
                        }
                    }
                }
                "--max-connections" => {
                    let text = value()?;
                    match text.parse::<usize>() {
                        Ok(count) if (1..=MAX_CONNECTIONS).contains(&count) => {
                            config.max_connections = count
                        }
                        _ => {
                            return Err(ConfigError::Invalid(format!(
                                "--max-connections: not a whole number from 1 to {MAX_CONNECTIONS}: {text}"
                            )))
                        }
                    }
                }
                "--cors-origin" => {
                    let origin = value()?;
                    if !is_origin(&origin) {
                        return Err(ConfigError::Invalid(format!(
                            "--cors-origin: not an origin (scheme://host[:port], as in the Origin header): {origin}"
                        )));
                    }
                    config.cors_origins.push(origin);
                }
                "--cors-any" => config.cors_any = true,
                "--downloadable-uploads" => config.downloadable_uploads = true,
                "--files-quota" => {
                    let text = value()?;
                    config.files_quota = text.parse().map_err(|_| {
                        ConfigError::Invalid(format!(
                            "--files-quota: not a number of bytes: {text}"
                        ))
                    })?;
                }
                other => return Err(ConfigError::Invalid(format!("unknown option {other}"))),
            }
        }
        Ok(config)
    }
}

/// `http://host[:port]` or `https://…`, nothing after: the form of a browser's `Origin`.
fn is_origin(text: &str) -> bool {
    let host = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"));
    host.is_some_and(|host| {
        !host.is_empty()
            && !host.contains(['/', '?', '#', '@'])
            && !host.contains(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, ConfigError> {
        Config::from_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn reads_every_flag() {
        let config = parse(&[
            "--port",
            "0",
            "--api-key=sk-test",
            "--tokens-per-second",
            "30",
            "--host",
            "127.0.0.2",
            "--quiet",
            "--max-connections",
            "8",
            "--cors-origin",
            "https://app.example",
            "--cors-origin=http://10.0.0.2:3000",
            "--cors-any",
        ])
        .unwrap();
        assert_eq!(config.max_connections, 8);
        assert_eq!(
            config.cors_origins,
            ["https://app.example", "http://10.0.0.2:3000"]
        );
        assert!(config.cors_any);
        assert_eq!(config.port, 0);
        assert_eq!(config.api_key.as_deref(), Some("sk-test"));
        assert_eq!(config.tokens_per_second, Some(30.0));
        assert_eq!(config.host, "127.0.0.2");
        assert!(!config.log);
    }

    #[test]
    fn defaults_to_loopback_without_pacing_or_key() {
        let config = parse(&[]).unwrap();
        assert_eq!((config.host.as_str(), config.port), ("127.0.0.1", 8787));
        assert!(config.api_key.is_none() && config.tokens_per_second.is_none());
    }

    #[test]
    fn rejects_bad_values() {
        assert!(matches!(
            parse(&["--port", "x"]),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            parse(&["--tokens-per-second", "0"]),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(parse(&["--port"]), Err(ConfigError::Invalid(_))));
        assert!(matches!(parse(&["--frob"]), Err(ConfigError::Invalid(_))));
        for args in [
            ["--max-connections", "0"],
            ["--max-connections", "many"],
            ["--cors-origin", "app.example"],
            ["--cors-origin", "https://app.example/path"],
        ] {
            assert!(
                matches!(parse(&args), Err(ConfigError::Invalid(_))),
                "{args:?}"
            );
        }
        assert_eq!(parse(&["--help"]).unwrap_err(), ConfigError::Help);
    }

    /// Finding 6: a pace this slow made `Duration::from_secs_f64` panic on the first stream.
    #[test]
    fn tokens_per_second_1e_300_is_refused() {
        for rate in ["1e-300", "0.001", "1e300", "inf", "NaN", "-5"] {
            let error = parse(&["--tokens-per-second", rate]).unwrap_err();
            assert!(
                error.to_string().starts_with("--tokens-per-second: "),
                "{rate}: {error}"
            );
        }
        assert_eq!(
            parse(&["--tokens-per-second", "0.01"])
                .unwrap()
                .tokens_per_second,
            Some(0.01)
        );
    }
}
