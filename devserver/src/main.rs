//! `devserver [--port N] [--host ADDR] [--api-key KEY] [--tokens-per-second N] [--quiet]`

use devserver::{Config, ConfigError};

fn main() {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(ConfigError::Help) => {
            print!("{}", devserver::USAGE);
            return;
        }
        Err(error) => {
            eprintln!("devserver: {error}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("devserver: cannot start the runtime: {error}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async move {
        let auth = if config.api_key.is_some() {
            "key required"
        } else {
            "any key accepted"
        };
        let pace = config
            .tokens_per_second
            .map_or("unpaced".to_owned(), |rate| format!("{rate} tokens/s"));
        match devserver::serve(config).await {
            Ok(server) => {
                // Scripts and tests wait for this line (and read the port from it).
                println!(
                    "devserver listening on http://{} ({auth}, {pace})",
                    server.local_addr()
                );
                server.wait().await;
            }
            Err(error) => {
                eprintln!("devserver: cannot listen: {error}");
                std::process::exit(1);
            }
        }
    });
}
