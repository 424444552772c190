"""Reads done once per request. The header's task badge and the page below it (My
work) ask for the same count; each asking would be a query over every open task. A
value kept here lives as long as one request (RequestMemoMiddleware) and never outside
one: a service, a script or a test calling the same selector outside a request always
reads the database afresh.

Only for reads that a request does not change after making them: views that change
something redirect (post, redirect, get), so the page that shows the count is a new
request."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_MEMO: ContextVar[dict | None] = ContextVar("ubdt_request_memo", default=None)


def once(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked for in this request; its value after."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _MEMO.set({})
        try:
            return self.get_response(request)
        finally:
            _MEMO.reset(token)
