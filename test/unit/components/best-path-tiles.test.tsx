import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BestPathTiles } from "@/components/fleet/best-path-tiles";
import type { FleetSummary } from "@/lib/client/dto";
import { filterQuery, readFleetParams } from "@/lib/client/fleet-params";

afterEach(cleanup);

const summary = {
  total: 9,
  verdicts: {},
  stale: 0,
  scanning: 0,
  byProduct: [],
  byCore: [],
  byPageSize: [],
  byChVersion: [],
  byKernelSeries: [],
  byPlatformClass: [],
  bestPaths: [
    { key: "pmem-dax", count: 4 },
    { key: null, count: 3 },
    { key: "ksm", count: 2 },
  ],
} satisfies FleetSummary;

const count = (key: string) => screen.getByTestId(`best-path-tile-${key}`).firstElementChild?.textContent;

describe("BestPathTiles", () => {
  it("counts hosts per best path, the null key as 'No path', and zero where none", () => {
    render(<BestPathTiles summary={summary} loading={false} selected={[]} onSelect={() => undefined} />);
    expect(count("pmem-dax")).toBe("4");
    expect(count("ksm")).toBe("2");
    expect(count("none")).toBe("3");
    expect(count("virtiofs-dax")).toBe("0");
    expect(screen.getByRole("button", { name: /Best path: No path/ })).toBeTruthy();
  });

  it("marks the filtered path pressed and reports a click", async () => {
    const onSelect = vi.fn();
    render(<BestPathTiles summary={summary} loading={false} selected={["none"]} onSelect={onSelect} />);
    expect(screen.getByTestId("best-path-tile-none").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("best-path-tile-ksm").getAttribute("aria-pressed")).toBe("false");
    await userEvent.click(screen.getByTestId("best-path-tile-ksm"));
    expect(onSelect).toHaveBeenCalledWith("ksm");
  });
});

describe("the bestPath filter in the URL", () => {
  it("is read from the URL and sent to the API like the other filters", () => {
    const params = readFleetParams(new URLSearchParams("tag=rack1&bestPath=pmem-dax,none"));
    expect(params.filters.bestPath).toBe("pmem-dax,none");
    expect(new URLSearchParams(filterQuery(params.filters)).get("bestPath")).toBe("pmem-dax,none");
  });
});
