"""Uses the Python client that openapi-python-client generates from openapi.yaml.

Run by tests/test_contract_python_client.py with the throwaway venv's interpreter, the generated
package importable, the live server's URL and the rate-limited server's URL as arguments. Every
call is parsed into the generated models; any unexpected status raises
(``raise_on_unexpected_status``). Calls go the way a generated client makes them: with every
documented default sent (``page_size=20``), enums as the generated classes, times as datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from urllib.parse import parse_qs, urlsplit

from article_api_client import AuthenticatedClient, Client
from article_api_client.api.articles import create_article, get_article, list_articles, put_article
from article_api_client.api.changes import list_changes
from article_api_client.api.entities import get_entity, list_article_entities, list_entities
from article_api_client.api.jobs import get_job
from article_api_client.api.quotes import list_article_quotes, list_quotes
from article_api_client.models import (
    Article,
    ArticleList,
    ArticlePart,
    ArticleResponse,
    ArticleSort,
    ArticleWrite,
    ChangeFeed,
    CorpusEntityList,
    CorpusQuoteList,
    EntityDetailResponse,
    EntityType,
    JobResponse,
    JobState,
    PaginationMode,
    Problem,
    QuoteKind,
    QuoteList,
    SpeakerVia,
)
from article_api_client.types import UNSET, File

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
        assert page.meta.pagination.mode is PaginationMode.CURSOR
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
        assert page.meta.pagination.mode is PaginationMode.PAGE
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
        include=[ArticlePart.SECTIONS, ArticlePart.QUOTES],
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
        include=[ArticlePart.SECTIONS, ArticlePart.QUOTES],
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

    report["search"] = search(client)
    report["filters"] = filters(client, cursor_ids, article)
    return report


def search(client: Client) -> dict:
    """``q`` on articles and quotes, as the generated client sends it (every default too)."""
    found = list_articles.sync(client=client, q="trade truce")
    assert isinstance(found, ArticleList), found
    assert found.data and found.data[0].id == SEED_ID, [a.id for a in found.data]
    assert found.data[0].search and "<mark>" in found.data[0].search.snippet
    ranks = [a.search.rank for a in found.data if a.search]
    assert ranks == sorted(ranks, reverse=True)
    quotes = list_quotes.sync(client=client, q="licenses")
    assert isinstance(quotes, CorpusQuoteList), quotes
    assert quotes.data and all(q.search for q in quotes.data)
    refused = list_articles.sync_detailed(client=client, q="trade", sort=ArticleSort.ID_DESCENDING)
    assert refused.status_code == 400 and isinstance(refused.parsed, Problem)
    assert [e.parameter for e in refused.parsed.errors] == ["sort"]
    return {"articles": len(found.data), "quotes": len(quotes.data)}


def filters(client: Client, ids: list[str], article: Article) -> dict:
    """Every filter of every collection, through the generated enums and types."""
    down = list_articles.sync(client=client, sort=ArticleSort.ID_DESCENDING, page_size=100)
    assert [a.id for a in down.data] == sorted(ids, reverse=True)
    since = list_articles.sync(client=client, since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert len(since.data) == min(len(ids), 20)
    future = list_articles.sync(client=client, since=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    assert future.data == []
    speaker = next(q.speaker for q in article.quotes if q.speaker and q.speaker.entity_id)
    entity = next(e for e in article_entities(client) if e.id == speaker.entity_id)
    by_entity = list_articles.sync(client=client, entity=entity.key)
    assert SEED_ID in [a.id for a in by_entity.data]
    names = [entity.key, entity.id, entity.name, *entity.aliases]
    for name in names:
        quotes = list_article_quotes.sync(
            SEED_ID, client=client, speaker=name, kind=QuoteKind.SPEECH, page_size=100
        )
        assert isinstance(quotes, QuoteList), quotes
        assert quotes.data and all(q.speaker.entity_id == entity.id for q in quotes.data), name
        across = list_quotes.sync(client=client, speaker=name, kind=QuoteKind.SPEECH)
        assert {q.article_id for q in across.data} >= {SEED_ID}, name
    direct = [SpeakerVia.CUE, SpeakerVia.ACCORDING_TO]
    by_via = list_article_quotes.sync(SEED_ID, client=client, via=direct, page_size=100)
    assert isinstance(by_via, QuoteList), by_via
    assert by_via.data and all(q.speaker.via in direct for q in by_via.data)
    terms = list_quotes.sync(client=client, kind=QuoteKind.TERM, page_size=100)
    assert terms.data and all(q.kind is QuoteKind.TERM for q in terms.data)
    people = list_entities.sync(client=client, type_=EntityType.PERSON, q=entity.name.lower())
    assert isinstance(people, CorpusEntityList), people
    assert entity.key in [e.key for e in people.data]
    return {"speaker_names": len(names), "terms": len(terms.data)}


def article_entities(client: Client):
    page = list_article_entities.sync(
        SEED_ID, client=client, type_=EntityType.PERSON, page_size=100
    )
    assert page.data and all(e.type_ is EntityType.PERSON for e in page.data)
    return page.data


def rate_limited(limited_url: str) -> dict:
    """A 429 from the limited server, parsed as a problem with its headers."""
    client = Client(base_url=limited_url, raise_on_unexpected_status=True)
    attempts = 0
    while True:
        attempts += 1
        response = list_articles.sync_detailed(client=client, page_size=1)
        if response.status_code == 429 or attempts == 20:
            break
        assert response.status_code == 200, response.status_code
        assert int(response.headers["RateLimit-Remaining"]) >= 0
    assert response.status_code == 429, "no 429 within 20 requests"
    assert isinstance(response.parsed, Problem) and response.parsed.status == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["RateLimit-Remaining"] == "0"
    return {"after": attempts, "limit": int(response.headers["RateLimit-Limit"])}


def write(base_url: str, token: str) -> dict:
    """Writes with a key: JSON and bare text; the job they make; an idempotent replay; a write
    without the key refused; the change feed read with its cursor."""
    writer = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
    body = ArticleWrite(
        text="Ferry timetable changes\n\nThe winter timetable starts on Monday.\n",
        id="client-ferry-timetable",
        published_at=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC),
    )
    created = create_article.sync_detailed(client=writer, body=body, idempotency_key="client-1")
    assert created.status_code == 202, created.content
    assert isinstance(created.parsed, JobResponse)
    job = created.parsed.data
    assert job.state is JobState.QUEUED and created.headers["Location"] == job.links.self_
    replay = create_article.sync_detailed(client=writer, body=body, idempotency_key="client-1")
    assert replay.parsed.data.id == job.id and replay.headers["Idempotent-Replayed"] == "true"
    seen = get_job.sync(job.id, client=writer)
    assert isinstance(seen, JobResponse) and seen.data.id == job.id
    text = File(payload=b"Bridge reopens\n\nThe bridge reopened at noon.\n")
    put = put_article.sync_detailed("client-bridge", client=writer, body=text)
    assert put.status_code == 202 and put.parsed.data.article_id == "client-bridge"
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    refused = create_article.sync_detailed(client=anonymous, body=body)
    assert refused.status_code == 401 and isinstance(refused.parsed, Problem)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    feed = list_changes.sync(client=anonymous, page_size=5)
    assert isinstance(feed, ChangeFeed) and feed.meta.cursor
    return {"job": job.state.value, "put": put.parsed.data.state.value}


if __name__ == "__main__":
    result = main(sys.argv[1])
    result["rate_limited"] = rate_limited(sys.argv[2])
    result["write"] = write(sys.argv[1], sys.argv[3])
    print(json.dumps(result))


# -- Bulk export (helper-c) -------------------------------------------------------------------
# The generated functions parse a 200 as the JSON page, so an export goes through the generated
# client's own httpx client with the request the generated function builds (`_get_kwargs`, its
# `page_size` default included: an export ignores it) and `Accept: application/x-ndjson`; each
# line is parsed into the generated item model. `after` is a generated parameter.

NDJSON = "application/x-ndjson"


def bulk_export(base_url: str) -> dict:
    """Every article exported as NDJSON equals the JSON pages; `after` resumes after an item;
    quotes export as CSV with the documented header; sections have no flat form (406)."""
    from article_api_client.models import ArticleSummary, CorpusQuote

    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    http = client.get_httpx_client()
    request = list_articles._get_kwargs()
    request["headers"] = {**request.get("headers", {}), "Accept": NDJSON}
    with http.stream(**request) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"] == NDJSON
        assert "etag" not in response.headers and response.headers["cache-control"] == "no-store"
        exported = [
            ArticleSummary.from_dict(json.loads(line)) for line in response.iter_lines() if line
        ]
    page = list_articles.sync(client=client, page_size=100)
    assert isinstance(page, ArticleList)
    assert [a.id for a in exported] == [a.id for a in page.data]
    resumed = list_articles._get_kwargs(after=exported[0].id)
    resumed["headers"] = {**resumed.get("headers", {}), "Accept": NDJSON}
    with http.stream(**resumed) as response:
        rest = [json.loads(line)["id"] for line in response.iter_lines() if line]
    assert rest == [a.id for a in exported[1:]]
    after_page = list_articles.sync(client=client, after=exported[0].id, page_size=100)
    assert [a.id for a in after_page.data] == rest  # `after` starts a page walk too
    quotes = http.get("/v1/quotes", headers={"Accept": NDJSON})
    parsed = [CorpusQuote.from_dict(json.loads(line)) for line in quotes.text.splitlines()]
    assert parsed and all(quote.article_id for quote in parsed)
    table = http.get("/v1/quotes", headers={"Accept": "text/csv"})
    assert table.status_code == 200 and table.text.startswith("id,section_id,text,")
    flat = http.get(f"/v1/articles/{SEED_ID}/sections", headers={"Accept": "text/csv"})
    assert flat.status_code == 406 and Problem.from_dict(flat.json()).status == 406
    return {"articles": len(exported), "quotes": len(parsed)}


if __name__ == "__main__":
    assert bulk_export(sys.argv[1])["articles"] >= 1
