//! `models.list` and `models.retrieve`, and the pagination every list shares.

use core::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::transport::Transport;
use super::{ApiResponse, Client, RequestOptions};
use crate::error::Error;
use crate::types::{ListParams, ModelInfo, Page};

/// The models resource.
pub struct Models<T: Transport> {
    client: Client<T>,
}

impl<T: Transport> Models<T> {
    pub(super) fn new(client: Client<T>) -> Self {
        Self { client }
    }

    /// One page of models, newest first.
    pub async fn list(
        &self,
        params: &ListParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<Page<ModelInfo>>, Error> {
        self.client.page("/v1/models", params, options).await
    }

    /// Every model, page after page, from `params` on.
    pub fn list_all(&self, params: ListParams, options: RequestOptions) -> Paginator<T, ModelInfo> {
        Paginator::new(self.client.clone(), "/v1/models", params, options)
    }

    /// One model by id or alias.
    pub async fn retrieve(
        &self,
        model: &str,
        options: &RequestOptions,
    ) -> Result<ApiResponse<ModelInfo>, Error> {
        let request = self.client.request(
            "GET",
            &super::resource_path("/v1/models/", model, "")?,
            None,
            options,
        );
        self.client
            .json(request, options, self.client.timeout(options))
            .await
    }
}

impl<T: Transport> Client<T> {
    /// One page of a list endpoint.
    pub(super) async fn page<I: DeserializeOwned>(
        &self,
        path: &str,
        params: &ListParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<Page<I>>, Error> {
        let request = self.request("GET", &format!("{path}{}", params.query()), None, options);
        self.json(request, options, self.timeout(options)).await
    }
}

/// Pages of a list, fetched one after another in the direction the first page asked for.
pub struct Paginator<T: Transport, I> {
    client: Client<T>,
    path: &'static str,
    next: Option<ListParams>,
    options: RequestOptions,
    item: PhantomData<I>,
}

impl<T: Transport, I: DeserializeOwned> Paginator<T, I> {
    pub(super) fn new(
        client: Client<T>,
        path: &'static str,
        params: ListParams,
        options: RequestOptions,
    ) -> Self {
        Self {
            client,
            path,
            next: Some(params),
            options,
            item: PhantomData,
        }
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Result<Page<I>, Error>> {
        let params = self.next.take()?;
        match self.client.page(self.path, &params, &self.options).await {
            Ok(page) => {
                self.next = params.next(&page.data);
                Some(Ok(page.into_inner()))
            }
            Err(error) => Some(Err(error)),
        }
    }

    /// Every item of every remaining page.
    pub async fn all(mut self) -> Result<Vec<I>, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(page?.data);
        }
        Ok(items)
    }
}
