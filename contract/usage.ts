// A frontend's use of the API, typed by the types openapi-typescript generates from
// ../openapi.yaml (into build/api.d.ts). `tsc --noEmit --strict` must accept it: if a path,
// parameter, field or status the code relies on leaves the spec, this stops compiling.
// tests/test_contract_typescript.py also runs it (compiled) against the live server: search,
// every filter, and the 429 of a rate-limited server, each read through the generated types.
import type { components, operations, paths } from "./build/api";

declare const process: { argv: string[]; exitCode?: number };

type Article = components["schemas"]["Article"];
type ArticleSummary = components["schemas"]["ArticleSummary"];
type Problem = components["schemas"]["Problem"];
type CorpusQuote = components["schemas"]["CorpusQuote"];
type EntityDetail = components["schemas"]["EntityDetail"];
type ListArticlesQuery = NonNullable<operations["listArticles"]["parameters"]["query"]>;
type ArticleList =
  paths["/v1/articles"]["get"]["responses"][200]["content"]["application/json"];
type GetArticleOk =
  operations["getArticle"]["responses"][200]["content"]["application/json"];
type QuoteListOk =
  operations["listQuotes"]["responses"][200]["content"]["application/json"];
type EntityOk = operations["getEntity"]["responses"][200]["content"]["application/json"];
type NotFound = operations["getArticle"]["responses"][404]["content"]["application/problem+json"];
type TooManyRequests =
  operations["listArticles"]["responses"][429]["content"]["application/problem+json"];
type ArticleSort = components["schemas"]["ArticleSort"];
type QuoteKind = components["schemas"]["QuoteKind"];
type SpeakerVia = components["schemas"]["SpeakerVia"];
type EntityType = components["schemas"]["EntityType"];
type Entity = components["schemas"]["Entity"];
type CorpusEntity = components["schemas"]["CorpusEntity"];
type ListQuotesQuery = NonNullable<operations["listQuotes"]["parameters"]["query"]>;
type ListArticleQuotesQuery = NonNullable<operations["listArticleQuotes"]["parameters"]["query"]>;
type ListArticleEntitiesQuery = NonNullable<
  operations["listArticleEntities"]["parameters"]["query"]
>;
type ListEntitiesQuery = NonNullable<operations["listEntities"]["parameters"]["query"]>;
type ArticleEntitiesOk =
  operations["listArticleEntities"]["responses"][200]["content"]["application/json"];
type EntityListOk = operations["listEntities"]["responses"][200]["content"]["application/json"];
type ArticleQuotesOk =
  operations["listArticleQuotes"]["responses"][200]["content"]["application/json"];

type ArticleWrite = operations["createArticle"]["requestBody"]["content"]["application/json"];
type JobAccepted = operations["createArticle"]["responses"][202]["content"]["application/json"];
type JobOk = operations["getJob"]["responses"][200]["content"]["application/json"];
type JobState = components["schemas"]["JobState"];
type Unauthorized =
  operations["createArticle"]["responses"][401]["content"]["application/problem+json"];
type ChangeFeedOk = operations["listChanges"]["responses"][200]["content"]["application/json"];
type EventType = components["schemas"]["EventType"];

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail} (request ${problem.request_id})`);
  }
}

async function getJson<T>(url: string, etag?: string): Promise<{ body: T | null; etag: string | null }> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (etag !== undefined) headers["If-None-Match"] = etag;
  const response = await fetch(url, { headers });
  if (response.status === 304) return { body: null, etag: response.headers.get("ETag") };
  if (!response.ok) throw new ApiError((await response.json()) as Problem);
  return { body: (await response.json()) as T, etag: response.headers.get("ETag") };
}

/** Every article summary, walking the cursor links to the end. */
export async function allArticles(base: string, query: ListArticlesQuery = {}): Promise<ArticleSummary[]> {
  const params = new URLSearchParams();
  if (query.page_size !== undefined) params.set("page_size", String(query.page_size));
  if (query.sort !== undefined) params.set("sort", query.sort);
  let next: string | null = `/v1/articles?${params.toString()}`;
  const seen: ArticleSummary[] = [];
  while (next !== null) {
    const { body }: { body: ArticleList | null } = await getJson<ArticleList>(base + next);
    if (body === null) break;
    seen.push(...body.data);
    next = body.links.next ?? null;
    const pagination = body.meta.pagination;
    if (pagination.mode === "page" && pagination.total_pages !== undefined) {
      console.log(`page ${pagination.page ?? 1} of ${pagination.total_pages}`);
    }
  }
  return seen;
}

/** One article with its sections and quotes, revalidated with its ETag. */
export async function articleWithParts(base: string, id: string, etag?: string): Promise<Article | null> {
  const { body } = await getJson<GetArticleOk>(
    `${base}/v1/articles/${encodeURIComponent(id)}?include=sections,quotes`,
    etag,
  );
  if (body === null) return null; // 304: the cached copy is current
  const article = body.data;
  for (const section of article.sections ?? []) {
    const heading: string = section.heading ?? "(opening)";
    const first = section.paragraphs[0];
    if (first !== undefined) console.log(heading, article.text.slice(first.start, first.end));
  }
  return article;
}

export async function quotesBy(base: string, speaker: string): Promise<CorpusQuote[]> {
  const { body } = await getJson<QuoteListOk>(
    `${base}/v1/quotes?speaker=${encodeURIComponent(speaker)}&kind=speech`,
  );
  return (body?.data ?? []).filter((quote) => quote.speaker?.name !== undefined);
}

export async function entity(base: string, key: string): Promise<EntityDetail | undefined> {
  const { body } = await getJson<EntityOk>(`${base}/v1/entities/${encodeURIComponent(key)}`);
  const detail = body?.data;
  const titles: string[] = detail?.articles.map((a) => `${a.title} (${a.mention_count}×)`) ?? [];
  console.log(titles.join("\n"));
  return detail;
}

export function describe(problem: NotFound): string {
  const parameters = (problem.errors ?? []).map((e) => e.parameter ?? e.pointer ?? "?");
  return `${problem.title} at ${problem.instance}: ${parameters.join(", ")}`;
}

/** A query string from typed parameters (undefined ones left out, lists repeated, as a
 * client would). */
function toQuery(params: { [name: string]: string | number | string[] | undefined }): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const item of value) search.append(name, item);
    else if (value !== undefined) search.set(name, String(value));
  }
  return search.toString();
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** `q` on articles and quotes: ranked hits, each with a highlighted snippet. */
export async function search(base: string, q: string): Promise<{ articles: number; quotes: number }> {
  const query: ListArticlesQuery = { q, page_size: 5 };
  const { body } = await getJson<ArticleList>(`${base}/v1/articles?${toQuery(query)}`);
  const hits: ArticleSummary[] = body?.data ?? [];
  check(hits.length > 0, `no article matches ${q}`);
  check(hits.every((hit) => hit.search?.snippet.includes("<mark>") === true), "no snippet");
  const quoteQuery: ListQuotesQuery = { q, kind: "speech" };
  const quotes = await getJson<QuoteListOk>(`${base}/v1/quotes?${toQuery(quoteQuery)}`);
  return { articles: hits.length, quotes: quotes.body?.data.length ?? 0 };
}

/** Every filter of every collection, with values of the generated types. */
export async function everyFilter(base: string, articleId: string): Promise<Record<string, number>> {
  const descending: ArticleSort = "-id";
  const since = "2000-01-01T00:00:00Z";
  const sorted = await getJson<ArticleList>(
    `${base}/v1/articles?${toQuery({ sort: descending, since, page_size: 100 })}`,
  );
  const ids = (sorted.body?.data ?? []).map((a) => a.id);
  check(ids.join() === [...ids].sort().reverse().join(), "sort=-id is not descending");

  const person: EntityType = "PERSON";
  const entityQuery: ListArticleEntitiesQuery = { type: person, page_size: 100 };
  const people = await getJson<ArticleEntitiesOk>(
    `${base}/v1/articles/${encodeURIComponent(articleId)}/entities?${toQuery(entityQuery)}`,
  );
  const quotes = await getJson<ArticleQuotesOk>(
    `${base}/v1/articles/${encodeURIComponent(articleId)}/quotes?page_size=100`,
  );
  const speakerIds = new Set((quotes.body?.data ?? []).map((q) => q.speaker?.entity_id ?? ""));
  const speaker: Entity | undefined = (people.body?.data ?? []).find((e) => speakerIds.has(e.id));
  check(speaker !== undefined, "no speaking person");

  const byEntity = await getJson<ArticleList>(
    `${base}/v1/articles?${toQuery({ entity: [speaker.key] })}`,
  );
  check((byEntity.body?.data ?? []).some((a) => a.id === articleId), "entity filter");

  const speech: QuoteKind = "speech";
  let names = 0;
  for (const name of [speaker.key, speaker.id, speaker.name, ...speaker.aliases]) {
    const filter: ListArticleQuotesQuery = { speaker: name, kind: speech };
    const found = await getJson<ArticleQuotesOk>(
      `${base}/v1/articles/${encodeURIComponent(articleId)}/quotes?${toQuery(filter)}`,
    );
    const data = found.body?.data ?? [];
    check(data.length > 0 && data.every((q) => q.speaker?.entity_id === speaker.id), name);
    const across = await quotesBy(base, name);
    check(across.length >= data.length, `across articles: ${name}`);
    names += 1;
  }

  const direct: SpeakerVia[] = ["cue", "according-to"];
  const viaQuery: ListArticleQuotesQuery = { via: direct, page_size: 100 };
  const byVia = await getJson<ArticleQuotesOk>(
    `${base}/v1/articles/${encodeURIComponent(articleId)}/quotes?${toQuery(viaQuery)}`,
  );
  const viaData = byVia.body?.data ?? [];
  check(viaData.length > 0, "via filter found nothing");
  check(viaData.every((q) => direct.includes(q.speaker?.via as SpeakerVia)), "via filter");

  const corpusQuery: ListEntitiesQuery = { q: speaker.name.toLowerCase(), type: person };
  const corpus = await getJson<EntityListOk>(`${base}/v1/entities?${toQuery(corpusQuery)}`);
  const keys: string[] = (corpus.body?.data ?? []).map((e: CorpusEntity) => e.key);
  check(keys.includes(speaker.key), "entities q/type");
  return { articles: ids.length, speakerNames: names };
}

type ArticleFacet = components["schemas"]["ArticleFacet"];
type FacetValue = components["schemas"]["FacetValue"];

/** Editorial metadata, its filters and date order, facets, and a sparse fieldset typed with
 * `Pick` of the generated item type. */
export async function editorial(base: string): Promise<Record<string, number>> {
  const newest: ArticleSort = "-published_at";
  const query: ListArticlesQuery = {
    sort: newest,
    tag: ["libraries"],
    author: ["Ruth Okafor"],
    section: "local",
    published_after: "2026-01-01T00:00:00Z",
    facets: ["tag", "published_month", "entity"] satisfies ArticleFacet[],
    facet_size: 5,
  };
  const { body } = await getJson<ArticleList>(`${base}/v1/articles?${toQuery(query)}`);
  const found: ArticleSummary[] = body?.data ?? [];
  check(found.length === 1 && found[0]?.id === "library-opening-2026", "editorial filters");
  check(found[0]?.authors.includes("Ruth Okafor") === true, "authors");
  const tags: FacetValue[] = body?.meta.facets?.tag ?? [];
  check(tags.some((v) => v.value === "libraries" && v.count === 1), "tag facet");
  const months: FacetValue[] = body?.meta.facets?.published_month ?? [];
  check(months.some((v) => v.value === "2026-03"), "month facet");

  type Slim = Pick<ArticleSummary, "id" | "title" | "published_at">;
  const slimQuery: ListArticlesQuery = { fields: ["id", "title", "published_at"], page_size: 5 };
  const slim = await getJson<{ data: Slim[] }>(`${base}/v1/articles?${toQuery(slimQuery)}`);
  const items: Slim[] = slim.body?.data ?? [];
  check(items.length > 0 && items.every((a) => Object.keys(a).length === 3), "fields");
  return { tags: tags.length, slim: items.length };
}

/** Requests until the server says 429; the problem and its headers, as typed. */
export async function until429(base: string): Promise<{ problem: TooManyRequests; retryAfter: number }> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const response = await fetch(`${base}/v1/articles?page_size=1`, {
      headers: { Accept: "application/json" },
    });
    if (response.status === 429) {
      const problem = (await response.json()) as TooManyRequests;
      const retryAfter = Number(response.headers.get("Retry-After"));
      check(problem.status === 429 && retryAfter >= 1, "429 without its problem or Retry-After");
      check(response.headers.get("RateLimit-Remaining") === "0", "RateLimit-Remaining");
      return { problem, retryAfter };
    }
    await response.arrayBuffer();
  }
  throw new Error("no 429 within 20 requests");
}

/** A write with a key, as a frontend's admin screen would make it: the job, then the feed. */
export async function writeWithKey(base: string, token: string): Promise<{ state: JobState }> {
  const body: ArticleWrite = {
    text: "Library hours extended\n\nThe central library will open until nine.\n",
    id: "typed-library-hours",
    published_at: "2026-12-01T09:00:00Z",
  };
  const send = (auth: boolean) =>
    fetch(`${base}/v1/articles`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        ...(auth ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  const refused = await send(false);
  check(refused.status === 401, "a write without a key");
  const problem = (await refused.json()) as Unauthorized;
  check(problem.status === 401 && refused.headers.has("WWW-Authenticate"), "401 problem");
  const accepted = await send(true);
  check(accepted.status === 202, `write answered ${accepted.status}`);
  const job = ((await accepted.json()) as JobAccepted).data;
  check(accepted.headers.get("Location") === job.links.self, "Location names the job");
  const seen = await fetch(`${base}${job.links.self}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
  });
  const state: JobState = ((await seen.json()) as JobOk).data.state;
  check(["queued", "running", "succeeded"].includes(state), "job state");
  const feed = await getJson<ChangeFeedOk>(`${base}/v1/changes?page_size=5`);
  const types: EventType[] = (feed.body?.data ?? []).map((e) => e.type);
  check(typeof feed.body?.meta.cursor === "string" && Array.isArray(types), "change feed");
  return { state };
}

// -- Semantic diffs between versions, annotated text.

type Annotation = components["schemas"]["Annotation"];
type AnnotationType = components["schemas"]["AnnotationType"];
type ArticleDiffOk =
  operations["getArticleDiff"]["responses"][200]["content"]["application/json"];
type QuoteChange = components["schemas"]["QuoteChange"];

/** An article's text as HTML with every annotation a <span> (split where spans cross), as a
 * frontend would highlight it; each span's text is checked against `text[start:end]`. */
export function renderAnnotated(text: string, spans: Annotation[]): string {
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const escape = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const seen = new Map<number, string>();
  let html = "";
  let open: number[] = [];
  for (let n = 0; n + 1 < cuts.length; n++) {
    const [left, right] = [cuts[n]!, cuts[n + 1]!];
    const wanted = spans.flatMap((s, i) => (s.start <= left && right <= s.end ? [i] : []));
    let keep = 0;
    while (keep < open.length && keep < wanted.length && open[keep] === wanted[keep]) keep++;
    html += "</span>".repeat(open.length - keep);
    for (const i of wanted.slice(keep)) html += `<span class="${spans[i]!.type}" data-id="${spans[i]!.id}">`;
    open = wanted;
    const piece = text.slice(left, right);
    for (const i of wanted) seen.set(i, (seen.get(i) ?? "") + piece);
    html += escape(piece);
  }
  html += "</span>".repeat(open.length);
  spans.forEach((s, i) => check(seen.get(i) === text.slice(s.start, s.end), `span ${i} text`));
  return html;
}

/** `?include=annotations` rendered, and a diff (a version against itself: no changes). */
export async function annotatedAndDiffed(
  base: string,
  id: string,
): Promise<{ types: AnnotationType[]; identical: boolean }> {
  const { body } = await getJson<GetArticleOk>(`${base}/v1/articles/${id}?include=annotations`);
  check(body !== null, "annotated article");
  const spans: Annotation[] = body.data.annotations ?? [];
  check(spans.length > 0, "annotations");
  const html = renderAnnotated(body.data.text, spans);
  check(html.includes('class="quote"'), "a quote rendered");
  const diff = await getJson<ArticleDiffOk>(`${base}/v1/articles/${id}/versions/1/diff/1`);
  check(diff.body !== null, "diff");
  const edited: QuoteChange[] = diff.body.data.quotes.edited;
  check(diff.body.data.identical && edited.length === 0, "a version against itself");
  const again = await getJson<ArticleDiffOk>(
    `${base}/v1/articles/${id}/versions/1/diff/1`,
    diff.etag ?? undefined,
  );
  check(again.body === null, "the diff revalidates (304)");
  return { types: [...new Set(spans.map((s) => s.type))], identical: diff.body.data.identical };
}

async function main(base: string, limited: string, token: string): Promise<void> {
  const article = await articleWithParts(base, "000-8cbe90a26df69869");
  check(article !== null, "the seed article");
  const report = {
    search: await search(base, "trade"),
    filters: await everyFilter(base, article.id),
    editorial: await editorial(base),
    rateLimited: (await until429(limited)).retryAfter,
    write: (await writeWithKey(base, token)).state,
    quotesAbout: await quotesAbout(base),
    exported: await bulkExport(base),
    annotated: await annotatedAndDiffed(base, article.id),
  };
  console.log(JSON.stringify(report));
}

const [, , liveUrl, limitedUrl, writeToken] = process.argv;
if (liveUrl !== undefined && limitedUrl !== undefined && writeToken !== undefined) {
  main(liveUrl, limitedUrl, writeToken).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

// -- Who said what about whom: /v1/quotes?about=, an entity's quotes and what others said
// -- about it.

type QuoteAbout = components["schemas"]["QuoteAbout"];
type AboutPlace = components["schemas"]["AboutPlace"];
type QuotesAboutQuery = NonNullable<operations["listQuotes"]["parameters"]["query"]>;
type EntityQuotesOk =
  operations["listEntityQuotes"]["responses"][200]["content"]["application/json"];
type QuotedAboutOk =
  operations["listEntityQuotedAbout"]["responses"][200]["content"]["application/json"];
type VersionOk =
  operations["getArticleVersion"]["responses"][200]["content"]["application/json"];
type UnknownEntity =
  operations["listEntityQuotedAbout"]["responses"][404]["content"]["application/problem+json"];

/** On the seed: Howard Lutnick's quote names President Trump in its sentence (about him);
 * Trump's own quotes are not about him. Each span is checked in the version it names. */
export async function quotesAbout(base: string): Promise<{ about: number; said: number }> {
  const query: QuotesAboutQuery = { about: ["person:donald-trump"], kind: "speech" };
  const found = await getJson<QuoteListOk>(`${base}/v1/quotes?${toQuery(query)}`);
  const quotes: CorpusQuote[] = found.body?.data ?? [];
  check(quotes.length >= 1, "quotes about Donald Trump");
  for (const quote of quotes) {
    check(quote.speaker?.entity_id !== "donald-trump", "the speaker never counts");
    const mentions: QuoteAbout[] = quote.about.filter((a) => a.key === "person:donald-trump");
    const places: AboutPlace[] = ["quote", "sentence"];
    check(mentions.length === 1 && places.includes(mentions[0]!.where), "where it is named");
    const fixed = await getJson<VersionOk>(base + quote.version_url);
    const text = fixed.body?.data.text ?? "";
    check(fixed.body?.data.version === quote.version, "the version the item names");
    check(text.slice(quote.start, quote.end) === quote.text, "the span in that version");
  }
  const key = encodeURIComponent("person:donald-trump");
  const said = await getJson<EntityQuotesOk>(`${base}/v1/entities/${key}/quotes?page_size=1`);
  const total = said.body?.meta.pagination.total_items ?? 0;
  check(total >= 1, "what Donald Trump said");
  check((said.body?.data ?? []).every((q) => q.speaker?.entity_id === "donald-trump"), "his own");
  const others = await getJson<QuotedAboutOk>(`${base}/v1/entities/${key}/quoted-about`);
  const texts = (others.body?.data ?? []).map((q) => q.text);
  check(JSON.stringify(texts) === JSON.stringify(quotes.map((q) => q.text)), "quoted-about");
  const missing = await fetch(`${base}/v1/entities/person%3Anobody-at-all/quoted-about`);
  const problem = (await missing.json()) as UnknownEntity;
  check(missing.status === 404 && problem.status === 404, "an unknown entity is a 404");
  return { about: quotes.length, said: total };
}

// -- Bulk export: every article as NDJSON, resumed with `after`.
// Typed by the spec: a line of `application/x-ndjson` is the collection's item schema, and the
// CSV header is the documented column list.
type ExportedArticle =
  paths["/v1/articles"]["get"]["responses"][200]["content"]["application/x-ndjson"];
type ExportedQuote =
  operations["listQuotes"]["responses"][200]["content"]["application/x-ndjson"];
type QuotesCsv = operations["listQuotes"]["responses"][200]["content"]["text/csv"];
type ExportQuery = NonNullable<operations["listArticles"]["parameters"]["query"]>;

async function exportLines<T>(url: string): Promise<T[]> {
  const response = await fetch(url, { headers: { Accept: "application/x-ndjson" } });
  if (response.status !== 200) throw new ApiError((await response.json()) as Problem);
  const text = await response.text();
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as T);
}

async function bulkExport(base: string): Promise<{ articles: number; quotes: number }> {
  const all = await exportLines<ExportedArticle>(`${base}/v1/articles`);
  const pages = await getJson<ArticleList>(`${base}/v1/articles?page_size=100`);
  const paged: ArticleSummary[] = pages.body?.data ?? [];
  check(all.length === paged.length && all.every((a, i) => a.id === paged[i]?.id), "export");
  const first = all[0];
  check(first !== undefined, "an exported article");
  const query: ExportQuery = { after: first.id };
  const rest = await exportLines<ExportedArticle>(
    `${base}/v1/articles?after=${encodeURIComponent(query.after ?? "")}`,
  );
  check(rest.length === all.length - 1 && rest[0]?.id === all[1]?.id, "resume with after");
  const quotes = await exportLines<ExportedQuote>(`${base}/v1/quotes`);
  check(quotes.every((q) => typeof q.article_id === "string"), "quotes export");
  const csv = await fetch(`${base}/v1/quotes`, { headers: { Accept: "text/csv" } });
  const body: QuotesCsv = await csv.text();
  check(body.startsWith("id,section_id,text,"), "quotes CSV header");
  const sections = await fetch(`${base}/v1/articles/${first.id}/sections`, {
    headers: { Accept: "text/csv" },
  });
  check(sections.status === 406, "sections have no flat form");
  return { articles: all.length, quotes: quotes.length };
}
