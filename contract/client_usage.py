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
    ArticleFacet,
    ArticleList,
    ArticleListMeta,
    ArticlePart,
    ArticleResponse,
    ArticleSort,
    ArticleSummary,
    ArticleWrite,
    ChangeFeed,
    CorpusEntityList,
    CorpusQuoteList,
    EntityDetailResponse,
    EntityType,
    Facets,
    FacetValue,
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
    report["editorial"] = editorial(client)
    report["fields"] = sparse_fields(client)
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
    by_entity = list_articles.sync(client=client, entity=[entity.key])
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


def editorial(client: Client) -> dict:
    """Editorial metadata, its filters and date order, and facet counts, as generated."""
    newest = list_articles.sync(client=client, sort=ArticleSort.PUBLISHED_DESCENDING, page_size=100)
    dated = [a.published_at for a in newest.data if a.published_at]
    assert dated and dated == sorted(dated, reverse=True), dated
    assert newest.data[-1].published_at is None or len(dated) == len(newest.data)
    library = list_articles.sync(
        client=client,
        tag=["libraries"],
        author=["Ruth Okafor"],
        section="local",
        published_after=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        published_before=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    assert [a.id for a in library.data] == ["library-opening-2026"], library.data
    assert library.data[0].authors == ["Ruth Okafor"] and library.data[0].section == "Local"
    faceted = list_articles.sync(
        client=client,
        facets=[ArticleFacet.TAG, ArticleFacet.PUBLISHED_MONTH, ArticleFacet.TYPE],
        facet_size=5,
        page_size=1,
    )
    assert isinstance(faceted.meta, ArticleListMeta), faceted.meta
    facets = faceted.meta.facets
    assert isinstance(facets, Facets), facets
    assert any(v.value == "libraries" and v.label == "Libraries" for v in facets.tag)
    assert {v.value for v in facets.published_month} >= {"2026-03"}
    assert all(isinstance(v, FacetValue) and v.count >= 1 for v in facets.type_)
    return {"dated": len(dated), "tags": len(facets.tag)}


def sparse_fields(client: Client) -> dict:
    """``fields``: the generated operation builds the request (the list parameter as it
    documents it); a partial item is not a whole generated model, so the body is read as
    JSON, member names checked against the generated model's."""
    kwargs = list_articles._get_kwargs(fields=["id", "title", "published_at"], page_size=5)
    response = client.get_httpx_client().request(**kwargs)
    assert response.status_code == 200, response.text
    items = response.json()["data"]
    assert items and all(set(item) == {"id", "title", "published_at"} for item in items)
    assert set(items[0]) <= set(ArticleSummary.__annotations__) | {"published_at"}
    kwargs = get_article._get_kwargs(SEED_ID, fields=["title", "quotes.text"])
    article = client.get_httpx_client().request(**kwargs).json()["data"]
    assert set(article) == {"title", "quotes"}
    assert all(set(quote) == {"text"} for quote in article["quotes"])
    refused = list_articles.sync_detailed(client=client, fields=["colour"])
    assert refused.status_code == 400 and isinstance(refused.parsed, Problem)
    assert [e.parameter for e in refused.parsed.errors] == ["fields"]
    return {"items": len(items), "quotes": len(article["quotes"])}


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


# -- Who said what about whom: /v1/quotes?about=, an entity's quotes and what others said
# -- about it.


def quotes_about(base_url: str) -> dict:
    """On the seed: Howard Lutnick's quote names President Trump in its sentence, so it is about
    him; Trump's own quotes are not (the speaker never counts). Each item's span is in the fixed
    version it names."""
    from article_api_client.api.quotes import list_entity_quoted_about, list_entity_quotes
    from article_api_client.api.versions import get_article_version
    from article_api_client.models import AboutPlace, CorpusQuote, QuoteAbout

    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    about = list_quotes.sync(client=client, about=["person:donald-trump"], page_size=20)
    assert isinstance(about, CorpusQuoteList) and about.data, about
    for quote in about.data:
        assert isinstance(quote, CorpusQuote)
        assert quote.speaker is not None and quote.speaker.entity_id != "donald-trump"
        assert quote.version_url == f"/v1/articles/{quote.article_id}/versions/{quote.version}"
        mentions = [a for a in quote.about if a.key == "person:donald-trump"]
        assert len(mentions) == 1 and isinstance(mentions[0], QuoteAbout)
        assert mentions[0].where in (AboutPlace.QUOTE, AboutPlace.SENTENCE)
        fixed = get_article_version.sync(quote.article_id, quote.version, client=client)
        assert isinstance(fixed, ArticleResponse) and fixed.data.version == quote.version
        assert fixed.data.text[quote.start : quote.end] == quote.text
    by_name = list_quotes.sync(
        client=client, speaker="Howard Lutnick", about=["Trump"], kind=QuoteKind.SPEECH
    )
    assert isinstance(by_name, CorpusQuoteList)
    assert [q.text for q in by_name.data] == [
        q.text for q in about.data if q.speaker.name == "Howard Lutnick"
    ]
    said = list_entity_quotes.sync("person:donald-trump", client=client, page_size=1)
    assert isinstance(said, CorpusQuoteList) and said.meta.pagination.total_items >= 1
    assert all(q.speaker.entity_id == "donald-trump" for q in said.data)
    others = list_entity_quoted_about.sync("person:donald-trump", client=client)
    assert isinstance(others, CorpusQuoteList)
    assert [q.text for q in others.data] == [q.text for q in about.data]
    missing = list_entity_quotes.sync_detailed("person:nobody-at-all", client=client)
    assert missing.status_code == 404 and isinstance(missing.parsed, Problem)
    return {"about": len(about.data), "said": said.meta.pagination.total_items}


# -- Semantic diffs between versions, annotated text.


def diffs_and_annotations(base_url: str) -> dict:
    """``?include=annotations`` rendered-style through the generated models (each span's text,
    ids of the parts it belongs to, the generated ``AnnotationType``), and a version's diff
    against itself (the live store holds one version of each article: ``identical``), a reverse
    link, a 304 and a 404 problem naming the missing version."""
    from article_api_client.api.versions import get_article_diff
    from article_api_client.models import AnnotationType, ArticleDiffResponse

    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    annotated = get_article.sync(
        SEED_ID, client=client, include=[ArticlePart.ANNOTATIONS, ArticlePart.QUOTES]
    )
    assert isinstance(annotated, ArticleResponse), annotated
    article = annotated.data
    spans = article.annotations
    assert spans and [(s.start, -s.end) for s in spans] == sorted((s.start, -s.end) for s in spans)
    quote_ids = {q.id for q in article.quotes}
    for span in spans:
        assert isinstance(span.type_, AnnotationType)
        assert 0 <= span.start < span.end <= len(article.text)
        if span.type_ is AnnotationType.QUOTE:
            assert span.id in quote_ids
            quote = next(q for q in article.quotes if q.id == span.id)
            assert article.text[span.start : span.end] == quote.text
    kinds = sorted({span.type_.value for span in spans})

    detailed = get_article_diff.sync_detailed(SEED_ID, 1, 1, client=client)
    assert detailed.status_code == 200 and isinstance(detailed.parsed, ArticleDiffResponse)
    diff = detailed.parsed.data
    assert diff.identical is True and diff.title is None and diff.summary is None
    assert diff.text_changed is False and diff.sections.edited == []
    assert diff.quotes.edited == [] and diff.entities.gained == []
    assert detailed.parsed.links.reverse == f"/v1/articles/{SEED_ID}/versions/1/diff/1"
    again = get_article_diff.sync_detailed(
        SEED_ID, 1, 1, client=client, if_none_match=detailed.headers["ETag"]
    )
    assert again.status_code == 304
    missing = get_article_diff.sync_detailed(SEED_ID, 1, 2, client=client)
    assert missing.status_code == 404 and isinstance(missing.parsed, Problem)
    assert "version 2" in missing.parsed.detail
    return {"annotation_types": kinds, "spans": len(spans), "identical": diff.identical}


# -- Bulk export.
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
    result = main(sys.argv[1])
    result["rate_limited"] = rate_limited(sys.argv[2])
    result["write"] = write(sys.argv[1], sys.argv[3])
    result["quotes_about"] = quotes_about(sys.argv[1])
    result["diffs_and_annotations"] = diffs_and_annotations(sys.argv[1])
    result["export"] = bulk_export(sys.argv[1])
    print(json.dumps(result))
