// The example front-end flow, run in CI against the real server: notify an incident, read the
// case back (on any replica: read your writes), list its deadlines, and follow the change feed
// until the new case's opening arrives. Every call is typed by the generated schema, so a
// breaking change of openapi/openapi.json fails `npm run build` before it fails here.
//
//   CASETRAIL_URL=http://127.0.0.1:8080 \
//   CASETRAIL_NOTIFIER_TOKEN=$(casetrail token --org southend-council --role notifier) \
//   CASETRAIL_READER_TOKEN=$(casetrail token --org southend-council --role business_manager) \
//   npm run example

import { casetrailClient, followFeed, type components } from "./index.js";

type NotifyIncident = components["schemas"]["NotifyIncidentRequest"];

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const baseUrl = setting("CASETRAIL_URL");
  const notifier = casetrailClient(baseUrl, setting("CASETRAIL_NOTIFIER_TOKEN"));
  const readerToken = setting("CASETRAIL_READER_TOKEN");
  const reader = casetrailClient(baseUrl, readerToken);

  const notification: NotifyIncident = {
    child: {
      reference: "TS-CLIENT-EXAMPLE",
      given_name: "Fictional",
      family_name: "Child",
      date_of_birth: "2016-03-01",
      sex: "female",
      ethnicity: "White British",
      looked_after: false,
      child_protection_plan: true,
    },
    incident_date: "2022-12-20",
    became_aware_on: "2022-12-22",
    harm: "serious_harm",
    abuse_or_neglect: "suspected",
    location_basis: "in_area",
    summary: "A fictional incident of the client example.",
    // The example runs again on the same database: each run is another incident.
    allow_duplicate: true,
  };
  const notified = await notifier.POST("/v1/cases/notifications", { body: notification });
  if (notified.error || !notified.data) {
    throw new Error(`notifying failed: ${notified.response.status} ${notified.error?.code}`);
  }
  const { case_id: caseId, position } = notified.data;
  console.log(`notified: case ${caseId} at log position ${position}`);

  const read = await reader.GET("/v1/cases/{case_id}", {
    params: { path: { case_id: caseId }, query: { min_position: position } },
  });
  if (read.error || !read.data) {
    throw new Error(`reading the case failed: ${read.response.status} ${read.error?.code}`);
  }
  console.log(`read: stage ${read.data.stage}, ${read.data.deadlines.length} deadline(s)`);

  const deadlines = await reader.GET("/v1/deadlines", {
    params: { query: { case_id: caseId, limit: 50 } },
  });
  if (deadlines.error || !deadlines.data) {
    throw new Error(`listing deadlines failed: ${deadlines.response.status}`);
  }
  for (const deadline of deadlines.data.items) {
    console.log(`deadline: ${deadline.kind} due ${deadline.due_at}, ${deadline.status}`);
  }
  if (!deadlines.data.items.some((d) => d.kind === "panel_notification")) {
    throw new Error("the notification's Panel deadline is missing");
  }

  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 20_000);
  let opened = false;
  try {
    for await (const item of followFeed(baseUrl, () => readerToken, {
      after: String(position - 1),
      signal: stop.signal,
    })) {
      console.log(`feed: ${item.id} ${item.type}`);
      if (item.type === "case.opened" && item.case_id === caseId) {
        opened = true;
        break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (!opened) throw new Error("the feed did not tell the case's opening within 20 s");
  console.log("ok");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
