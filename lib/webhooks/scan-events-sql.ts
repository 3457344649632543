// Webhook deliveries for successful scans, as one more CTE of the statement that stores them
// (lib/scan/scan-store.ts SAVE_SQL, after its `input` CTE): the events are committed with the scan result, so a
// restart between the scan and the delivery loses none, and with no enabled webhook the join is empty. The
// `input` rows carry "scanId", "hostId", verdict, "bestPath" and drift (diffDrift's entries, or null); "Host" is
// read as it was before the statement, so a null "currentScanId" means the host's first successful scan.
export const SCAN_EVENTS_CTE = `
    , webhook_events as (
      insert into "WebhookDelivery" (id, "webhookId", event, "hostId", payload, "nextAttemptAt")
      select gen_random_uuid()::text, w.id, e.event, h.id,
        jsonb_build_object('event', e.event,
          'occurredAt', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'scanId', i."scanId", 'verdict', i.verdict,
          'bestPath', i."bestPath", 'changes', e.changes,
          'host', jsonb_build_object('id', h.id, 'name', h.name, 'address', h.address)),
        now()
      from input i
      join "Host" h on h.id = i."hostId"
      cross join lateral (
        select 'verdict-changed' as event, jsonb_path_query_array(i.drift, '$[*] ? (@.field == "verdict")') as changes
        union all
        select 'drift', jsonb_path_query_array(i.drift, '$[*] ? (@.field != "verdict")')
        union all
        select 'host-ready', '[]'::jsonb where h."currentScanId" is null and i."bestPath" is not null
      ) e
      join "Webhook" w on w.enabled and e.event = any(w.events)
      where e.event = 'host-ready' or jsonb_array_length(e.changes) > 0
    )`;
