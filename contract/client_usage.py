"""Uses the Python client that openapi-python-client generates from openapi.yaml.

Run by tests/test_contract_python_client.py with the throwaway venv's interpreter, the generated
package importable, and the live server's URL as the one argument. Every call is parsed into the
generated models; any unexpected status raises (``raise_on_unexpected_status``).
"""

from __future__ import annotations

import json
import sys
from urllib.parse import parse_qs, urlsplit

from article_api_client import Client
from article_api_client.api.articles import get_article, list_articles
from article_api_client.api.entities import get_entity, list_entities
from article_api_client.api.quotes import list_quotes
from article_api_client.models import (
    Article,
    ArticleList,
    ArticleResponse,
    CorpusQuoteList,
    EntityDetailResponse,
    GetArticleIncludeItem,
    Problem,
)
from article_api_client.types import UNSET

SEED_ID = "000-8cbe90a26df69869"


def cursor_of(url: str | None) -> str | None:
    if url is None:
        return None
    return parse_qs(urlsplit(url).query)["cursor"][0]


def main(base_url: str) -> dict:
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    report: dict = {}

    # Every page of the article list, cursor mode.
    cursor_ids, cursor = [], None
    while True:
        page = list_articles.sync(client=client, page_size=2, cursor=cursor or UNSET)
        assert isinstance(page, ArticleList), page
        assert page.meta.pagination.mode.value == "cursor"
        cursor_ids += [article.id for article in page.data]
        cursor = cursor_of(page.links.next_)
        if cursor is None:
            break
    total = page.meta.pagination.total_items
    assert len(cursor_ids) == len(set(cursor_ids)) == total, (cursor_ids, total)

    # Every page, page mode.
    page_ids, number = [], 1
    while True:
        page = list_articles.sync(client=client, page_size=2, page=number)
        assert isinstance(page, ArticleList), page
        assert page.meta.pagination.mode.value == "page"
        page_ids += [article.id for article in page.data]
        if number >= page.meta.pagination.total_pages:
            break
        number += 1
    assert page_ids == cursor_ids, (page_ids, cursor_ids)
    report["articles"] = cursor_ids

    # One article with include.
    detailed = get_article.sync_detailed(
        SEED_ID,
        client=client,
        include=[GetArticleIncludeItem.SECTIONS, GetArticleIncludeItem.QUOTES],
    )
    assert detailed.status_code == 200
    assert isinstance(detailed.parsed, ArticleResponse)
    article = detailed.parsed.data
    assert isinstance(article, Article)
    assert article.sections and article.quotes, "include=sections,quotes embedded nothing"
    for section in article.sections:
        for paragraph in section.paragraphs:
            assert article.text[paragraph.start : paragraph.end] == paragraph.text
    report["sections"] = len(article.sections)

    # Revalidation: the ETag gets a 304 with no body.
    etag = detailed.headers["ETag"]
    again = get_article.sync_detailed(
        SEED_ID,
        client=client,
        include=[GetArticleIncludeItem.SECTIONS, GetArticleIncludeItem.QUOTES],
        if_none_match=etag,
    )
    assert again.status_code == 304, again.status_code
    assert again.content == b"" and again.headers["ETag"] == etag
    report["revalidated"] = True

    # Quotes across articles, filtered by a speaker taken from the article.
    speaker = next(q.speaker for q in article.quotes if q.speaker)
    quotes = list_quotes.sync(client=client, speaker=speaker.name, page_size=100)
    assert isinstance(quotes, CorpusQuoteList), quotes
    assert quotes.data and all(q.speaker and q.speaker.name == speaker.name for q in quotes.data)
    report["quotes_by"] = [speaker.name, len(quotes.data)]

    # One entity across articles: the first mentioned by more than one article, if any.
    entities = list_entities.sync(client=client, type_=UNSET, page_size=100)
    shared = max(entities.data, key=lambda e: e.article_count)
    entity = get_entity.sync(shared.key, client=client)
    assert isinstance(entity, EntityDetailResponse), entity
    assert entity.data.key == shared.key
    assert len(entity.data.articles) == min(shared.article_count, 20)
    report["entity"] = [shared.key, shared.article_count]

    # An error is a parsed problem document.
    missing = get_article.sync_detailed("no-such-article", client=client)
    assert missing.status_code == 404 and isinstance(missing.parsed, Problem)
    assert missing.parsed.status == 404 and missing.parsed.request_id
    return report


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
