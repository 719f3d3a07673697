//! Paginators: a page stream and an item stream over a `@paginated` operation.
//!
//! Generated code supplies three functions: one that sends the operation with a given input
//! token (`None` for the first page, which keeps whatever token the caller set), one that reads
//! the next token from a page, and one that takes the items out of a page. Pagination stops
//! when a page has no next token (generated readers treat an empty string as none), when the
//! service returns the token it was just sent (which would loop forever), or after an error.

use crate::error::SdkError;
use crate::http::BoxFuture;
use std::collections::VecDeque;
use std::fmt;

/// Sends one page request with the given input token.
pub type FetchPage<O, E, T> =
    Box<dyn FnMut(Option<T>) -> BoxFuture<'static, Result<O, SdkError<E>>> + Send>;

/// Where pagination stands.
enum State<T> {
    /// The first page has not been requested.
    Start,
    /// The next page is requested with this token.
    Next(T),
    /// No more pages.
    Done,
}

/// Pages of a paginated operation, one request per [`PageStream::next`].
pub struct PageStream<O, E, T = String, I = std::convert::Infallible> {
    fetch: FetchPage<O, E, T>,
    next_token: fn(&O) -> Option<T>,
    items_of: fn(O) -> Vec<I>,
    state: State<T>,
}

impl<O, E, T: Clone + PartialEq, I> PageStream<O, E, T, I> {
    /// A page stream from generated functions (see the module documentation).
    pub fn new(
        fetch: FetchPage<O, E, T>,
        next_token: fn(&O) -> Option<T>,
        items_of: fn(O) -> Vec<I>,
    ) -> Self {
        PageStream {
            fetch,
            next_token,
            items_of,
            state: State::Start,
        }
    }

    /// The next page: `None` once pagination is over, `Some(Err)` once if a request fails.
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        let sent = match std::mem::replace(&mut self.state, State::Done) {
            State::Start => None,
            State::Next(token) => Some(token),
            State::Done => return None,
        };
        let page = match (self.fetch)(sent.clone()).await {
            Ok(page) => page,
            Err(error) => return Some(Err(error)),
        };
        if let Some(token) = (self.next_token)(&page) {
            if sent.as_ref() != Some(&token) {
                self.state = State::Next(token);
            }
        }
        Some(Ok(page))
    }

    /// Every remaining page, or the first error.
    pub async fn collect(mut self) -> Result<Vec<O>, SdkError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// The items of every remaining page, one at a time.
    pub fn items(self) -> ItemStream<O, E, T, I> {
        ItemStream {
            pages: self,
            buffer: VecDeque::new(),
        }
    }
}

impl<O, E, T, I> fmt::Debug for PageStream<O, E, T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Start => "start",
            State::Next(_) => "more pages",
            State::Done => "done",
        };
        f.debug_struct("PageStream")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// Items of every page of a paginated operation, fetching pages as needed.
pub struct ItemStream<O, E, T = String, I = std::convert::Infallible> {
    pages: PageStream<O, E, T, I>,
    buffer: VecDeque<I>,
}

impl<O, E, T: Clone + PartialEq, I> ItemStream<O, E, T, I> {
    /// The next item: `None` once every page is consumed, `Some(Err)` if a page request fails.
    pub async fn next(&mut self) -> Option<Result<I, SdkError<E>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.buffer.extend((self.pages.items_of)(page)),
                Err(error) => return Some(Err(error)),
            }
        }
    }

    /// Every remaining item, or the first error.
    pub async fn collect(mut self) -> Result<Vec<I>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<O, E, T, I> fmt::Debug for ItemStream<O, E, T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BuildError;
    use std::sync::{Arc, Mutex};

    #[derive(Debug)]
    struct Page {
        token: Option<String>,
        items: Vec<u32>,
    }

    /// The tokens a stream was sent, in order.
    type SentTokens = Arc<Mutex<Vec<Option<String>>>>;

    /// A page stream over canned pages, recording the tokens it was sent.
    fn stream(pages: Vec<Page>) -> (PageStream<Page, (), String, u32>, SentTokens) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        let mut pages: VecDeque<Page> = pages.into();
        let fetch: FetchPage<Page, (), String> = Box::new(move |token| {
            log.lock().unwrap().push(token);
            let page = pages.pop_front();
            Box::pin(async move {
                page.ok_or_else(|| {
                    SdkError::Construction(BuildError::other("no more canned pages"))
                })
            })
        });
        let stream = PageStream::new(
            fetch,
            |p: &Page| p.token.clone().filter(|t| !t.is_empty()),
            |p: Page| p.items,
        );
        (stream, sent)
    }

    fn page(token: Option<&str>, items: &[u32]) -> Page {
        Page {
            token: token.map(str::to_string),
            items: items.to_vec(),
        }
    }

    #[tokio::test]
    async fn follows_tokens_until_absent() {
        let (pages, sent) = stream(vec![
            page(Some("a"), &[1, 2]),
            page(Some("b"), &[3]),
            page(None, &[4]),
        ]);
        assert_eq!(pages.items().collect().await.unwrap(), vec![1, 2, 3, 4]);
        let sent = sent.lock().unwrap().clone();
        assert_eq!(sent, vec![None, Some("a".into()), Some("b".into())]);
    }

    #[tokio::test]
    async fn stops_on_empty_or_repeated_token() {
        let (pages, _) = stream(vec![
            page(Some("a"), &[1]),
            page(Some(""), &[2]),
            page(None, &[3]),
        ]);
        assert_eq!(pages.collect().await.unwrap().len(), 2);
        let (pages, _) = stream(vec![
            page(Some("a"), &[1]),
            page(Some("a"), &[2]),
            page(None, &[3]),
        ]);
        assert_eq!(pages.collect().await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let (mut pages, _) = stream(vec![page(Some("a"), &[1])]);
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_err());
        assert!(pages.next().await.is_none());
    }
}
