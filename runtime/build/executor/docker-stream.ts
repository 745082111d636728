// Slipway's build events → the classic builder's JSON lines of Docker's POST /build, which the
// stock CLI prints (`DOCKER_BUILDKIT=0 docker build`):
//   {"stream":"Step 1/5 : FROM busybox\n"}  {"stream":" ---> 3f2a1b…\n"}  {"stream":"Step 2/5 : COPY . /app\n"}
//   {"stream":" ---> Using cache\n"}  {"stream":" ---> 3f2a1b…\n"}  {"aux":{"ID":"sha256:…"}}
//   {"stream":"Successfully built 3f2a1b…\n"}  {"stream":"Successfully tagged app:latest\n"}
//   {"errorDetail":{"code":1,"message":"…"},"error":"…"}
// Docker numbers the global ARGs and every FROM as steps too (builder/dockerfile/builder.go
// counts metaArgs + stages + commands); Slipway's steps are only what runs, so the ARG and FROM
// lines come from the build-start preamble and are numbered around them. An ARG or FROM line
// is printed just before the first step numbered above it (or at the end: a last stage with no
// steps of its own).
// Pure: one translator per build.
import type { BuildEvent, BuildPreamble, StepInfo } from '../events';

export type DockerBuildMessage =
  | { stream: string }
  | { aux: { ID: string } }
  | { errorDetail: { code?: number; message: string }; error: string };

interface Numbering {
  total: number;
  /** Docker's step number (1-based) of each Slipway step. */
  stepNumber: number[];
  /** Each stage's FROM line and its number, in order. */
  stages: Array<{ number: number; line: string; baseId?: string }>;
  globalArgs: Array<{ number: number; line: string }>;
}

/** Numbers the preamble and the steps in Dockerfile order, as the classic builder does. */
export function dockerNumbering(steps: StepInfo[], preamble: BuildPreamble | undefined): Numbering {
  let n = 0;
  const globalArgs = (preamble?.globalArgs ?? []).map((line) => ({ number: ++n, line }));
  const stages: Numbering['stages'] = [];
  const stepNumber: number[] = [];
  for (const from of preamble?.stages ?? []) {
    stages.push({ number: ++n, line: from.instruction, baseId: from.baseId });
    for (const s of steps) if (s.stage === from.stage) stepNumber[s.index] = ++n;
  }
  // Without a preamble (or a step of a stage it does not list): plan order.
  for (const s of steps) stepNumber[s.index] ??= ++n;
  return { total: n, stepNumber, stages, globalArgs };
}

export function dockerStreamTranslator(): (e: BuildEvent) => DockerBuildMessage[] {
  let steps: StepInfo[] = [];
  let num: Numbering = dockerNumbering([], undefined);
  /** The highest step number printed so far: ARG and FROM lines come out in number order. */
  let next = 0;
  const line = (number: number, text: string) => ({ stream: `Step ${number}/${num.total} : ${text}\n` });
  /** The ARG and FROM lines numbered below `before` not printed yet (all of them when undefined). */
  const preambleUpTo = (before: number | undefined): DockerBuildMessage[] => {
    const due: Array<{ number: number; line: string; baseId?: string }> = [...num.globalArgs, ...num.stages].filter((x) => x.number > next && (before === undefined || x.number < before));
    const out: DockerBuildMessage[] = [];
    for (const x of due) {
      next = x.number;
      out.push(line(x.number, x.line));
      if (x.baseId) out.push({ stream: ` ---> ${x.baseId.replace(/^sha256:/, '').slice(0, 12)}\n` });
    }
    return out;
  };
  return (e) => {
    switch (e.type) {
      case 'build-start':
        steps = e.steps;
        num = dockerNumbering(steps, e.preamble);
        next = 0;
        return [];
      case 'step-start': {
        const number = num.stepNumber[e.step] ?? e.step + 1;
        const out = [...preambleUpTo(number), line(number, steps[e.step]?.instruction ?? '')];
        next = Math.max(next, number);
        return out;
      }
      case 'step-log':
        return [{ stream: `${e.text}\n` }];
      case 'step-end': {
        const out: DockerBuildMessage[] = [];
        if (e.cached) out.push({ stream: ' ---> Using cache\n' });
        if (e.layer) out.push({ stream: ` ---> ${e.layer.diffID.slice(7, 19)}\n` });
        return out;
      }
      case 'build-end':
        return [
          ...preambleUpTo(undefined),
          { aux: { ID: e.imageId } },
          { stream: `Successfully built ${e.imageId.slice(7, 19)}\n` },
          ...e.tags.map((t) => ({ stream: `Successfully tagged ${familiar(t)}\n` })),
        ];
      case 'build-error': {
        // The CLI prints only `error`: the location goes in front, as in "Dockerfile:3: …".
        const where = e.file && e.range ? `${e.file}:${e.range.start.line + 1}: ` : '';
        const message = `${where}${e.message}`;
        return [{ errorDetail: { ...(e.exitCode !== undefined ? { code: e.exitCode } : {}), message }, error: message }];
      }
    }
  };
}

/** "docker.io/library/x:latest" → "x:latest", as Docker prints tags. */
function familiar(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}
