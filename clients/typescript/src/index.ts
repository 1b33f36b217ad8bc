// A typed client of the Casetrail API. The types are generated from the committed OpenAPI
// document (`npm run generate` writes src/schema.d.ts); the calls are openapi-fetch's, so a
// path, a parameter or a body the document does not have fails to compile.

import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";

/** The media types this client reads: JSON answers and problem+json refusals. */
export type JsonMedia = "application/json" | "application/problem+json";

/** A feed item: an integration event about one case (docs/integration.md). */
export type FeedItem = components["schemas"]["FeedItemView"];

/** A problem+json refusal, as every error of the API is. */
export type Problem = components["schemas"]["Problem"];

/**
 * A client of one Casetrail instance, sending `token` as a bearer token. It reads JSON: the
 * lists' CSV (`Accept: text/csv`) is for spreadsheets, not this client.
 */
export function casetrailClient(baseUrl: string, token: string): Client<paths, JsonMedia> {
  const client = createClient<paths, JsonMedia>({ baseUrl });
  const bearer: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
}

/** Where a feed reader is, and how it reads on. */
export interface FollowOptions {
  /** Resume after this cursor (an item's `id`); default: from the start. */
  after?: string;
  /** Only these types. */
  types?: string[];
  /** Stops the reader. */
  signal?: AbortSignal;
  /** Wait before reconnecting after the server ended a stream or a connection failed. */
  reconnectMillis?: number;
}

/**
 * Follows the change feed as Server-Sent Events, yielding each item once, in feed order, and
 * reconnecting with `Last-Event-ID` when a connection ends (the server ends each after a
 * while; the token is asked for again on every connection, so a fresh one can be given).
 * A browser's EventSource cannot send an Authorization header; this reader uses fetch.
 */
export async function* followFeed(
  baseUrl: string,
  token: () => string | Promise<string>,
  options: FollowOptions = {},
): AsyncGenerator<FeedItem> {
  let lastId = options.after;
  const query = options.types?.length ? `?type=${encodeURIComponent(options.types.join(","))}` : "";
  while (!options.signal?.aborted) {
    const headers: Record<string, string> = {
      Accept: "text/event-stream",
      Authorization: `Bearer ${await token()}`,
    };
    if (lastId !== undefined) headers["Last-Event-ID"] = lastId;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/v1/feed${query}`, { headers, signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) return;
      await pause(options.reconnectMillis ?? 3_000);
      continue;
    }
    if (!response.ok || !response.body) {
      const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
      throw new Error(`the feed answered ${response.status} ${problem.code ?? ""}`.trim());
    }
    for await (const event of serverSentEvents(response.body)) {
      if (event.id === undefined || event.data === undefined) continue;
      lastId = event.id;
      yield JSON.parse(event.data) as FeedItem;
    }
    await pause(options.reconnectMillis ?? 3_000);
  }
}

interface ServerSentEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Parses a text/event-stream body into events (comments and `retry` are skipped). */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: ServerSentEvent = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") event.id = value;
        else if (field === "event") event.event = value;
        else if (field === "data") event.data = event.data === undefined ? value : `${event.data}\n${value}`;
      }
      if (event.data !== undefined) yield event;
    }
  }
}

function pause(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
