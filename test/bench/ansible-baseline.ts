// Peer baselines for the fleet-scale scan bench: what ops would reach for instead of DAXboard, run over the
// same simulated hosts with the same round-trip time. Both are async on purpose: the simulated hosts live in the
// bench process, so a blocking exec would deadlock them.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type BaselineHost = { host: string; port: number; username: string };

function which(command: string): string {
  return spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).stdout.trim();
}

async function timed(command: string, args: string[], env: NodeJS.ProcessEnv, stdin = ""): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2_000)));
  child.stdout.on("data", (d) => (stderr = (stderr + d).slice(-2_000)));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${path.basename(command)} baseline failed (exit ${code}): ${stderr}`);
  return (performance.now() - started) / 1000;
}

function writeKey(dir: string, privateKey: string): string {
  const keyFile = path.join(dir, "id_ed25519");
  fs.writeFileSync(keyFile, privateKey, { mode: 0o600 });
  return keyFile;
}

// OpenSSH's client, as ops would script it: `xargs -P <parallel> ssh …`; hosts per second, or null without ssh.
export async function opensshXargs(
  hosts: BaselineHost[],
  privateKey: string,
  dir: string,
  parallel: number,
): Promise<number | null> {
  const ssh = which("ssh");
  if (!ssh) return null;
  const keyFile = writeKey(dir, privateKey);
  const ports = hosts.map((h) => String(h.port)).join("\n") + "\n";
  const cmd = `xargs -P ${parallel} -I{} ${ssh} -n -q -i ${keyFile} -p {} -o BatchMode=yes \
-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
${hosts[0]!.username}@${hosts[0]!.host} sh -s -- xargsTok1`;
  return hosts.length / (await timed("sh", ["-c", cmd], process.env, ports));
}

// Ansible's ad-hoc `raw` module, the one that needs nothing on the host but sh: the same `sh -s -- <token>`
// command our probe runs. Each host gets one command, so ssh multiplexing (ControlMaster) is turned off: a
// master kept from the run at one `forks` setting would hand the next run its connections ready-made.
export async function ansibleRaw(
  hosts: BaselineHost[],
  privateKey: string,
  dir: string,
  forks: number,
): Promise<number | null> {
  const ansible = which("ansible");
  if (!ansible) return null;
  const keyFile = writeKey(dir, privateKey);
  const inventory = path.join(dir, "inventory.ini");
  const lines = hosts.map(
    (h, i) => `h${i} ansible_host=${h.host} ansible_port=${h.port} ansible_user=${h.username} \
ansible_ssh_private_key_file=${keyFile}`,
  );
  fs.writeFileSync(inventory, `[sim]\n${lines.join("\n")}\n`);
  const env = {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: "False",
    ANSIBLE_SSH_ARGS: "-n -o ControlMaster=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
    ANSIBLE_LOCAL_TEMP: path.join(dir, "ansible-tmp"),
    ANSIBLE_HOME: path.join(dir, "ansible-home"),
    ANSIBLE_STDOUT_CALLBACK: "oneline",
    ANSIBLE_NOCOLOR: "1",
    // The simulated hosts grant no pty. Ansible hands ssh a pty as stdin, which never ends, and `sh -s` waits for
    // the end of its script: `-n` (in ANSIBLE_SSH_ARGS) gives it the empty stdin the xargs baseline gives too.
    ANSIBLE_SSH_USETTY: "False",
  };
  const args = ["sim", "-i", inventory, "-m", "raw", "-a", "sh -s -- ansibleTok1", "-f", String(forks)];
  return hosts.length / (await timed(ansible, args, env));
}
