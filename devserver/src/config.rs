//! Command-line options. Hand-parsed: five flags do not justify an argument-parser crate in a
//! binary whose cold compile time matters.

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
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8787,
            api_key: None,
            tokens_per_second: None,
            log: true,
            batch_request_delay: Duration::from_millis(50),
        }
    }
}

/// The `--help` text.
pub const USAGE: &str = "\
devserver: a local, deterministic Anthropic Messages API server

usage: devserver [--port N] [--host ADDR] [--api-key KEY] [--tokens-per-second N] [--quiet]

  --port N               port to listen on (default 8787; 0 picks a free one)
  --host ADDR            address to bind (default 127.0.0.1)
  --api-key KEY          require this key (x-api-key or Authorization: Bearer); default: any
  --tokens-per-second N  pace streamed replies (default: no pacing)
  --quiet                no per-request log lines

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
                        Ok(rate) if rate > 0.0 && rate.is_finite() => {
                            config.tokens_per_second = Some(rate)
                        }
                        _ => {
                            return Err(ConfigError::Invalid(format!(
                                "--tokens-per-second: not a positive number: {text}"
                            )))
                        }
                    }
                }
                other => return Err(ConfigError::Invalid(format!("unknown option {other}"))),
            }
        }
        Ok(config)
    }
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
        ])
        .unwrap();
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
        assert_eq!(parse(&["--help"]).unwrap_err(), ConfigError::Help);
    }
}
