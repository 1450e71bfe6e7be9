// A frontend's use of the API, typed by the types openapi-typescript generates from
// ../openapi.yaml (into build/api.d.ts). `tsc --noEmit --strict` must accept it: if a path,
// parameter, field or status the code relies on leaves the spec, this stops compiling.
import type { components, operations, paths } from "./build/api";

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
