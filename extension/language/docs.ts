// Hover and completion documentation as data: one entry per instruction and per flag, each with
// a link to Docker's reference. Pure: no vscode import, shared by hover.ts and completion.ts.
// The flag set per instruction is the builder's own table (runtime/dockerfile/flags.ts), so the
// editor never offers a flag the builder would reject.
import { FLAG_SPECS, type FlagKind } from '../../runtime/dockerfile/flags';

const REFERENCE = 'https://docs.docker.com/reference/dockerfile/';

export interface InstructionDoc {
  keyword: string;
  summary: string;
  /** Syntax lines shown in hover. */
  syntax: string[];
  /** Completion snippet (VS Code snippet syntax) inserted after the keyword. */
  snippet: string;
  url: string;
}

const doc = (keyword: string, summary: string, syntax: string[], snippet: string): InstructionDoc =>
  ({ keyword, summary, syntax, snippet, url: `${REFERENCE}#${keyword.toLowerCase()}` });

export const INSTRUCTIONS: readonly InstructionDoc[] = [
  doc('FROM', 'Starts a build stage from a base image (or `scratch`, or an earlier stage). `AS name` names the stage for `COPY --from` and `--target`.',
    ['FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]'], 'FROM ${1:image}:${2:tag} AS ${3:name}'),
  doc('RUN', 'Runs a command in a new layer on top of the current image and commits the result. Shell form runs through `SHELL` (default `/bin/sh -c`); exec form runs the program directly.',
    ['RUN [--mount=...] [--network=...] [--security=...] <command>', 'RUN ["executable", "arg", ...]', 'RUN <<EOF ... EOF'], 'RUN ${1:command}'),
  doc('CMD', 'The default command (or default arguments to `ENTRYPOINT`) when a container starts. Only the last CMD of a stage counts.',
    ['CMD ["executable", "arg", ...]', 'CMD ["arg", ...]  (arguments to ENTRYPOINT)', 'CMD command arg ...'], 'CMD ["${1:executable}"]'),
  doc('LABEL', 'Adds key-value metadata to the image.', ['LABEL <key>=<value> [<key>=<value> ...]'], 'LABEL ${1:key}="${2:value}"'),
  doc('MAINTAINER', 'Deprecated: sets the image author. Use `LABEL org.opencontainers.image.authors=...` instead.', ['MAINTAINER <name>'], 'MAINTAINER ${1:name}'),
  doc('EXPOSE', 'Documents the ports the container listens on (`tcp` by default). Publishing still needs `-p` at run time.',
    ['EXPOSE <port>[/<protocol>] [<port>[/<protocol>] ...]'], 'EXPOSE ${1:80}'),
  doc('ENV', 'Sets environment variables for the rest of the stage, for later instructions and for the running container.',
    ['ENV <key>=<value> [<key>=<value> ...]'], 'ENV ${1:KEY}=${2:value}'),
  doc('ADD', 'Copies files, directories or remote URLs (HTTP, Git) into the image; local tar archives are unpacked. Prefer COPY for plain local files.',
    ['ADD [--chown=...] [--chmod=...] [--link] [--checksum=...] [--keep-git-dir] <src>... <dest>', 'ADD ["<src>", ... "<dest>"]'], 'ADD ${1:src} ${2:dest}'),
  doc('COPY', 'Copies files and directories from the build context, an earlier stage (`--from=stage`) or an image into the image.',
    ['COPY [--from=...] [--chown=...] [--chmod=...] [--link] [--parents] [--exclude=...] <src>... <dest>', 'COPY ["<src>", ... "<dest>"]', 'COPY <<EOF <dest> ... EOF'], 'COPY ${1:src} ${2:dest}'),
  doc('ENTRYPOINT', 'The executable a container runs; `CMD` supplies its default arguments. Use the exec form so signals reach the process.',
    ['ENTRYPOINT ["executable", "arg", ...]', 'ENTRYPOINT command arg ...'], 'ENTRYPOINT ["${1:executable}"]'),
  doc('VOLUME', 'Marks paths as mount points for external volumes.', ['VOLUME ["/path", ...]', 'VOLUME /path ...'], 'VOLUME ["${1:/data}"]'),
  doc('USER', 'Sets the user (and optionally group) for later RUN, CMD and ENTRYPOINT instructions.', ['USER <user>[:<group>]', 'USER <UID>[:<GID>]'], 'USER ${1:user}'),
  doc('WORKDIR', 'Sets the working directory for later instructions; created if missing. Relative paths are relative to the previous WORKDIR.',
    ['WORKDIR /path/to/workdir'], 'WORKDIR ${1:/app}'),
  doc('ARG', 'Declares a build argument that users can pass with `--build-arg`. An ARG before the first FROM is visible only in FROM lines unless re-declared in a stage.',
    ['ARG <name>[=<default value>] [<name>[=<default value>] ...]'], 'ARG ${1:name}'),
  doc('ONBUILD', 'Adds a trigger instruction that runs when this image is used as the base of another build.', ['ONBUILD <INSTRUCTION>'], 'ONBUILD ${1:INSTRUCTION}'),
  doc('STOPSIGNAL', 'The signal sent to stop the container (default SIGTERM).', ['STOPSIGNAL signal'], 'STOPSIGNAL ${1:SIGTERM}'),
  doc('HEALTHCHECK', 'How to test that the container still works, or `NONE` to disable an inherited check.',
    ['HEALTHCHECK [--interval=30s] [--timeout=30s] [--start-period=0s] [--start-interval=5s] [--retries=3] CMD <command>', 'HEALTHCHECK NONE'],
    'HEALTHCHECK --interval=${1:30s} CMD ${2:command}'),
  doc('SHELL', 'Overrides the shell used by the shell form of RUN, CMD and ENTRYPOINT.', ['SHELL ["executable", "parameters"]'], 'SHELL ["${1:/bin/sh}", "${2:-c}"]'),
];

export function instructionDoc(keyword: string): InstructionDoc | undefined {
  const k = keyword.toUpperCase();
  return INSTRUCTIONS.find((d) => d.keyword === k);
}

export interface FlagDoc { name: string; kind: FlagKind; summary: string; example: string; url: string }

/** Why each flag exists; keyed by `instruction.flag`, `*.flag` for a meaning shared by several. */
const FLAG_TEXT: Record<string, [summary: string, example: string, anchor: string]> = {
  'from.platform': ['Platform of the base image, e.g. `linux/amd64`; defaults to the build platform.', '--platform=$BUILDPLATFORM', 'from'],
  'run.mount': ['Mounts a filesystem for this RUN only: `type=cache` (persistent cache), `bind`, `tmpfs`, `secret`, `ssh`.', '--mount=type=cache,target=/root/.cache', 'run---mount'],
  'run.network': ['Network for this RUN: `default`, `none` or `host`.', '--network=none', 'run---network'],
  'run.security': ['`insecure` runs with all capabilities (needs the entitlement); `sandbox` is the default.', '--security=sandbox', 'run---security'],
  'run.device': ['Makes a CDI device available to this RUN.', '--device=name', 'run---device'],
  'copy.from': ['Copies from an earlier stage, an image or a named context instead of the build context.', '--from=build', 'copy---from'],
  '*.chown': ['Owner (and group) of the copied files; names are looked up in the image.', '--chown=app:app', 'copy---chown'],
  '*.chmod': ['Mode of the copied files (octal, or symbolic like `u+x`).', '--chmod=755', 'copy---chmod'],
  '*.link': ['Copies into an independent layer so it stays cached when earlier layers change.', '--link', 'copy---link'],
  'copy.parents': ['Keeps the source paths\' parent directories under the destination.', '--parents', 'copy---parents'],
  '*.exclude': ['Leaves out paths matching the pattern (repeatable).', '--exclude=*.md', 'copy---exclude'],
  'add.keep-git-dir': ['Keeps the `.git` directory when adding a Git repository.', '--keep-git-dir', 'add---keep-git-dir'],
  'add.checksum': ['Verifies a remote source against this digest.', '--checksum=sha256:…', 'add---checksum'],
  'add.unpack': ['Whether to unpack archives (default: local archives yes, URLs no).', '--unpack=false', 'add'],
  'healthcheck.interval': ['Time between checks (default 30s).', '--interval=30s', 'healthcheck'],
  'healthcheck.timeout': ['A check taking longer fails (default 30s).', '--timeout=10s', 'healthcheck'],
  'healthcheck.start-period': ['Start-up grace period during which failures do not count (default 0s).', '--start-period=5s', 'healthcheck'],
  'healthcheck.start-interval': ['Time between checks during the start period (default 5s).', '--start-interval=1s', 'healthcheck'],
  'healthcheck.retries': ['Consecutive failures before the container is unhealthy (default 3).', '--retries=3', 'healthcheck'],
};

/** The flags an instruction accepts, documented. */
export function flagsOf(keyword: string): FlagDoc[] {
  const k = keyword.toLowerCase();
  const spec = FLAG_SPECS[k] ?? {};
  return Object.entries(spec).map(([name, kind]) => {
    const [summary, example, anchor] = FLAG_TEXT[`${k}.${name}`] ?? FLAG_TEXT[`*.${name}`] ?? [`The --${name} flag of ${k.toUpperCase()}.`, `--${name}`, k];
    return { name, kind, summary, example, url: `${REFERENCE}#${anchor}` };
  });
}

export function flagDoc(keyword: string, name: string): FlagDoc | undefined {
  return flagsOf(keyword).find((f) => f.name === name);
}

/** Markdown for an instruction's hover. */
export function instructionMarkdown(d: InstructionDoc): string {
  return [`**${d.keyword}** — ${d.summary}`, '', '```dockerfile', ...d.syntax, '```', '', `[Dockerfile reference](${d.url})`].join('\n');
}

export function flagMarkdown(keyword: string, f: FlagDoc): string {
  return [`**${keyword.toUpperCase()} --${f.name}** — ${f.summary}`, '', '```dockerfile', f.example, '```', '', `[Dockerfile reference](${f.url})`].join('\n');
}
