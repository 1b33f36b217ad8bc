//! The writer's own connection, opened when first needed and again after a failure.

use sqlx::{ConnectOptions, Connection};

use crate::StoreError;

/// A connection opened on demand from its options.
pub(crate) struct WriterConnection<C: Connection> {
    options: <C as Connection>::Options,
    connection: Option<C>,
}

impl<C: Connection> WriterConnection<C> {
    /// Connects with `options` when first needed.
    pub(crate) fn new(options: <C as Connection>::Options) -> Self {
        Self {
            options,
            connection: None,
        }
    }

    /// The open connection, opening it first if there is none.
    pub(crate) async fn get(&mut self) -> Result<&mut C, StoreError> {
        if self.connection.is_none() {
            self.connection = Some(self.options.connect().await?);
        }
        self.connection.as_mut().ok_or(StoreError::Closed)
    }

    /// Forgets the connection after a failure, so the next use opens a fresh one.
    pub(crate) fn reset(&mut self) {
        self.connection = None;
    }

    /// Closes the connection, if open.
    pub(crate) async fn close(&mut self) {
        if let Some(connection) = self.connection.take() {
            let _ = connection.close().await;
        }
    }
}
