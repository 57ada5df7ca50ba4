//! What the main thread and an engine worker say to each other, by role:
//! setting a worker up (any worker), ingestion (the pool), exploring an open
//! corpus (the search worker) and the benchmarks. Every request is a type of
//! its own and names the type of its reply ([`Ask`]), so a caller never
//! matches an answer; the worker serves a role's requests through that
//! role's `Serve` trait, one method per request.

pub mod benchmark;
pub mod explorer;
pub mod ingestion;
pub mod setup;

use serde::{Deserialize, Serialize};

/// A request whose answer is a [`Ask::Reply`].
pub trait Ask: Into<Message> {
    type Reply;
    /// This request's reply, if `answer` is one.
    fn reply(answer: Answer) -> Option<Self::Reply>;
}

/// Declares a role: its request types with their replies, the role's
/// message and answer enums, the [`Ask`] impls and the `Serve` trait.
macro_rules! role {
    ($role:ident { $( $method:ident : $name:ident => $reply:ty ),* $(,)? }) => {
        /// A request of this role, as sent.
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        pub enum Message {
            $( $name($name), )*
        }

        /// The reply to a request of this role.
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        pub enum Answer {
            $( $name($reply), )*
        }

        $(
            impl From<$name> for $crate::worker::protocol::Message {
                fn from(request: $name) -> Self {
                    $crate::worker::protocol::Message::$role(Message::$name(request))
                }
            }

            impl $crate::worker::protocol::Ask for $name {
                type Reply = $reply;
                fn reply(answer: $crate::worker::protocol::Answer) -> Option<$reply> {
                    match answer {
                        $crate::worker::protocol::Answer::$role(Answer::$name(reply)) => {
                            Some(reply)
                        }
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )*

        /// The worker's side of this role: one method per request.
        pub trait Serve {
            $( fn $method(&mut self, request: $name) -> Result<$reply, String>; )*
        }

        /// Serves `message` with `server`.
        pub fn serve(server: &mut impl Serve, message: Message) -> Result<Answer, String> {
            match message {
                $( Message::$name(request) => server.$method(request).map(Answer::$name), )*
            }
        }
    };
}
pub(crate) use role;

/// Any request, as the worker receives it.
#[derive(Debug, Serialize, Deserialize)]
pub enum Message {
    Setup(setup::Message),
    Ingestion(ingestion::Message),
    Explorer(explorer::Message),
    Benchmark(benchmark::Message),
}

/// Any answer, as the main thread receives it.
#[derive(Debug, Serialize, Deserialize)]
pub enum Answer {
    Setup(setup::Answer),
    Ingestion(ingestion::Answer),
    Explorer(explorer::Answer),
    Benchmark(benchmark::Answer),
    Failed(String),
}

/// Serves `message` with `server`, which serves every role.
pub fn serve<S>(server: &mut S, message: Message) -> Answer
where
    S: setup::Serve + ingestion::Serve + explorer::Serve + benchmark::Serve,
{
    let answer = match message {
        Message::Setup(m) => setup::serve(server, m).map(Answer::Setup),
        Message::Ingestion(m) => ingestion::serve(server, m).map(Answer::Ingestion),
        Message::Explorer(m) => explorer::serve(server, m).map(Answer::Explorer),
        Message::Benchmark(m) => benchmark::serve(server, m).map(Answer::Benchmark),
    };
    answer.unwrap_or_else(Answer::Failed)
}
