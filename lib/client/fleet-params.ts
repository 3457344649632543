// The fleet view's state as it lives in the URL, so a filtered, sorted view can be shared as a link.
// The same filters go to /api/hosts, /api/fleet/summary and /api/export.csv.

export const FILTER_KEYS = [
  "q",
  "tag",
  "verdict",
  "product",
  "hostPageSize",
  "chVersion",
  "platformClass",
  "stale",
  "bestPath",
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];

export type FleetFilters = Partial<Record<FilterKey, string>>;

export type FleetParams = { filters: FleetFilters; sort: string; page: number; pageSize: number };

export const DEFAULT_SORT = "name";
export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;

type ReadableParams = { get(name: string): string | null };

export function readFleetParams(search: ReadableParams): FleetParams {
  const filters: FleetFilters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key)?.trim();
    if (value) filters[key] = value;
  }
  const page = Math.max(1, Math.floor(Number(search.get("page") ?? "1")) || 1);
  const size = Number(search.get("pageSize") ?? DEFAULT_PAGE_SIZE);
  const pageSize = (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
  return { filters, sort: search.get("sort") || DEFAULT_SORT, page, pageSize };
}

// Query string for an API call; `omit` drops filters a request must not apply (tiles ignore the verdict filter).
export function filterQuery(
  filters: FleetFilters,
  extra: Record<string, string | number | undefined> = {},
  omit: FilterKey[] = [],
): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value && !omit.includes(key)) search.set(key, value);
  }
  for (const [key, value] of Object.entries(extra))
    if (value !== undefined && value !== "") search.set(key, String(value));
  return search.toString();
}

export function verdictList(filters: FleetFilters): string[] {
  return (filters.verdict ?? "").split(",").filter(Boolean);
}

export function bestPathList(filters: FleetFilters): string[] {
  return (filters.bestPath ?? "").split(",").filter(Boolean);
}

export function hasFilters(filters: FleetFilters): boolean {
  return FILTER_KEYS.some((key) => Boolean(filters[key]));
}
