import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { createMigrationAdapterFactory } from "./pg-migration-adapter";

// Prisma's WebAssembly schema engine, driven through the pg driver adapter: the Prisma CLI's migrate commands
// need a Rust binary downloaded at run time, which these machines cannot fetch (STACK.md, "Prisma 7 offline").

export type { SchemaEngine };

type EngineBindings = {
  SchemaEngine: typeof SchemaEngine;
  __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
};

type PanicRegistry = { set_message: (message: string) => void };

const debugEnabled = () => process.env.DAXBOARD_DEBUG_MIGRATE === "1";

// Process-wide, not module-wide: Next bundles instrumentation and each route separately, so this module can be
// evaluated more than once, while the wasm glue is one native module with one instance in its state. A second
// instantiation would replace the memory under the first one's feet.
type EngineRuntime = {
  bindings?: Promise<EngineBindings>;
  openSessions: number;
  pendingTimers: Set<NodeJS.Timeout>;
  lastPanic?: string;
};
const holder = globalThis as unknown as {
  __daxboardSchemaEngine?: EngineRuntime;
  PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry;
};
const runtime = (holder.__daxboardSchemaEngine ??= { openSessions: 0, pendingTimers: new Set() });

// The engine reports a Rust panic through this global before throwing "unreachable"; we keep the message so the
// error we throw says what actually went wrong.
holder.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message: (message: string) => {
    runtime.lastPanic = message;
    if (debugEnabled()) console.error(`[schema-engine panic] ${message}`);
  },
};

export function takeEnginePanic(): string | undefined {
  const message = runtime.lastPanic;
  runtime.lastPanic = undefined;
  return message;
}

// The engine races its advisory-lock query against a 10 s setTimeout that it never cancels. Such a timer must not
// keep the process alive after the work is done, but must stay referenced while a session is open.
function engineSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    runtime.pendingTimers.delete(timer);
    callback();
  }, ms >>> 0);
  if (runtime.openSessions === 0) timer.unref();
  else runtime.pendingTimers.add(timer);
  return timer;
}

function releaseEngineTimers(): void {
  if (runtime.openSessions > 0) return;
  for (const timer of runtime.pendingTimers) timer.unref();
  runtime.pendingTimers.clear();
}

const GLUE_FILE = path.join("node_modules", "@prisma", "schema-engine-wasm", "schema_engine_bg.js");

// Found by walking up the file system, not with require.resolve: a bundler rewrites require.resolve into a
// module id (Turbopack does). From this file's location first, then from the working directory.
function findGlueFile(): string {
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, GLUE_FILE);
      if (fs.existsSync(/*turbopackIgnore: true*/ candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`@prisma/schema-engine-wasm not found above ${starts.join(" or ")}: run npm install`);
}

// Loaded by hand rather than through the package entry: Node 20 cannot `import` a .wasm file, and a bundler
// (Next's server build lists the package in serverExternalPackages) must not try to follow it either.
async function loadBindings(): Promise<EngineBindings> {
  const gluePath = findGlueFile();
  const glue = (await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(gluePath).href
  )) as EngineBindings & Record<string, unknown>;
  const wasmPath = path.join(path.dirname(gluePath), "schema_engine_bg.wasm");
  const compiled = await WebAssembly.compile(await fs.promises.readFile(/*turbopackIgnore: true*/ wasmPath));
  const imports: Record<string, unknown> = { ...glue };
  const setTimeoutImport = Object.keys(glue).find((name) => name.startsWith("__wbg_setTimeout_"));
  if (setTimeoutImport) imports[setTimeoutImport] = engineSetTimeout;
  const instance = await WebAssembly.instantiate(compiled, {
    "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

export type SchemaFile = { path: string; content: string };

export type EngineSession = { engine: SchemaEngine; close: () => Promise<void> };

// The engine logs every statement it runs: silent unless DAXBOARD_DEBUG_MIGRATE=1.
function onEngineLog(line: unknown): void {
  if (!debugEnabled()) return;
  console.error(`[schema-engine] ${(typeof line === "string" ? line : JSON.stringify(line)).trimEnd()}`);
}

// Opens an engine on the database at `url`. Every call must be paired with close(), or the pool keeps the
// process alive. `schema` is only needed by commands that read the Prisma schema (diff); applying migrations works without it.
export async function openSchemaEngine(opts: { url: string; schema?: SchemaFile }): Promise<EngineSession> {
  runtime.bindings ??= loadBindings().catch((error: unknown) => {
    runtime.bindings = undefined;
    throw error;
  });
  const { SchemaEngine: Engine } = await runtime.bindings;
  const adapterFactory = createMigrationAdapterFactory(opts.url);
  runtime.openSessions++;
  let engine: SchemaEngine;
  try {
    engine = await Engine.new(
      { datamodels: opts.schema ? [[opts.schema.path, opts.schema.content]] : undefined },
      onEngineLog,
      bindMigrationAwareSqlAdapterFactory(adapterFactory),
    );
  } catch (error) {
    runtime.openSessions--;
    releaseEngineTimers();
    await adapterFactory.disposeAll();
    throw error;
  }
  let closed = false;
  return {
    engine,
    close: async () => {
      if (closed) return;
      closed = true;
      engine.free();
      runtime.openSessions--;
      releaseEngineTimers();
      await adapterFactory.disposeAll();
    },
  };
}
