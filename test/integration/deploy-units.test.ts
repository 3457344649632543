import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// deploy/: the systemd units checked by systemd's own verifier, their commands held to package.json's scripts,
// and the nginx example to the settings the app reads behind a proxy (nginx -t where nginx is installed).
const deploy = path.resolve("deploy");
const read = (name: string) => fs.readFileSync(path.join(deploy, name), "utf8");
const scripts = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts as Record<string, string>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-deploy-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const which = (bin: string) => {
  const r = spawnSync("sh", ["-c", `command -v ${bin}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
};

// Every value of one key in a unit file, in order.
const values = (unit: string, key: string) =>
  unit
    .split("\n")
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));

const UNITS = ["daxboard.service", "daxboard-worker.service"];
const systemdAnalyze = which("systemd-analyze");
const nginx = which("nginx");
if (!systemdAnalyze) console.warn("deploy-units.test.ts: systemd-analyze is not installed: the units are not verified");
if (!nginx) console.warn("deploy-units.test.ts: nginx is not installed: nginx -t is skipped");

describe("systemd units", () => {
  // The units name /usr/bin/node and /usr/bin/npm (Debian's); verify needs each ExecStart binary to exist, so
  // the copies point at this machine's node and npm, and at this checkout.
  it.skipIf(!systemdAnalyze)("pass systemd-analyze verify", () => {
    const npm = which("npm");
    expect(npm, "npm on PATH").not.toBeNull();
    const copies = UNITS.map((name) => {
      const text = read(name)
        .replaceAll("/usr/bin/node ", `${process.execPath} `)
        .replaceAll("/usr/bin/npm ", `${npm} `)
        .replaceAll("/opt/daxboard", process.cwd());
      const copy = path.join(tmp, name);
      fs.writeFileSync(copy, text);
      return copy;
    });
    const r = spawnSync(systemdAnalyze!, ["verify", ...copies], { encoding: "utf8", timeout: 60_000 });
    // verify exits 0 on settings it ignores and only prints them: any output is a defect in the unit.
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("run npm start's and npm run worker's own commands, with the app as the main process", () => {
    const app = read("daxboard.service");
    const [build, start] = scripts.start!.split(" && ");
    expect(scripts.build).toBe(build);
    expect(values(app, "ExecStartPre")).toEqual(["/usr/bin/npm run build"]);
    expect(start).toMatch(/^tsx (\S+\.ts)$/);
    expect(values(app, "ExecStart")).toEqual([`/usr/bin/node --import tsx ${start!.slice("tsx ".length)}`]);
    const worker = read("daxboard-worker.service");
    expect(scripts.worker).toMatch(/^node /);
    expect(values(worker, "ExecStart")).toEqual([`/usr/bin/node ${scripts.worker!.slice("node ".length)}`]);
    for (const unit of [app, worker]) {
      expect(values(unit, "KillMode")).toEqual(["mixed"]);
      expect(values(unit, "Restart")).toEqual(["on-failure"]);
      expect(values(unit, "User")).toEqual(["daxboard"]);
      expect(values(unit, "EnvironmentFile")).toHaveLength(1);
      expect(values(unit, "MemoryDenyWriteExecute")).toEqual([]);
    }
    expect(values(app, "Environment")).toContain("DAXBOARD_DATA_DIR=/var/lib/daxboard");
    expect(values(app, "StateDirectory")).toEqual(["daxboard"]);
  });
});

describe("reverse proxy example", () => {
  const conf = read("nginx-daxboard.conf");
  const env = read("daxboard.env.example");

  it("serves the public URL's host over TLS and sets what the app reads behind one proxy", () => {
    const publicUrl = new URL(/^DAXBOARD_PUBLIC_URL=(.+)$/m.exec(env)![1]!);
    expect(publicUrl.protocol).toBe("https:");
    expect(env).toMatch(/^DAXBOARD_TRUSTED_PROXIES=1$/m);
    expect(conf).toContain(`server_name ${publicUrl.hostname};`);
    expect(conf).toMatch(/listen 443 ssl/);
    expect(conf).toContain("proxy_set_header Host $host;");
    expect(conf).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
    const port = /^PORT=(\d+)$/m.exec(env)![1];
    expect(conf).toContain(`proxy_pass http://127.0.0.1:${port};`);
  });

  it.skipIf(!nginx)("passes nginx -t with a throwaway certificate", () => {
    const cert = path.join(tmp, "cert.pem");
    const key = path.join(tmp, "key.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"].concat([
        "-keyout",
        key,
        "-out",
        cert,
      ]),
      { stdio: "ignore" },
    );
    const site = path.join(tmp, "site.conf");
    fs.writeFileSync(
      site,
      conf
        .replace(/ssl_certificate \S+;/, `ssl_certificate ${cert};`)
        .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${key};`),
    );
    const main = path.join(tmp, "nginx.conf");
    fs.writeFileSync(main, `pid ${tmp}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\ninclude ${site};\n}\n`);
    const r = spawnSync(nginx!, ["-t", "-p", tmp, "-c", main], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });
});
