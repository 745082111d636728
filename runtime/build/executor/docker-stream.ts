// Slipway's build events → the classic builder's JSON lines of Docker's POST /build, which the
// stock CLI prints (`DOCKER_BUILDKIT=0 docker build`):
//   {"stream":"Step 1/5 : FROM busybox\n"}  {"stream":" ---> Using cache\n"}
//   {"stream":" ---> 3f2a1b…\n"}  {"aux":{"ID":"sha256:…"}}  {"stream":"Successfully built 3f2a1b…\n"}
//   {"errorDetail":{"code":1,"message":"…"},"error":"…"}
// Pure: one translator per build keeps the step count from build-start.
import type { BuildEvent } from '../events';

export type DockerBuildMessage =
  | { stream: string }
  | { aux: { ID: string } }
  | { errorDetail: { code?: number; message: string }; error: string };

export function dockerStreamTranslator(): (e: BuildEvent) => DockerBuildMessage[] {
  let steps: Array<{ instruction: string }> = [];
  return (e) => {
    switch (e.type) {
      case 'build-start':
        steps = e.steps;
        return [];
      case 'step-start':
        return [{ stream: `Step ${e.step + 1}/${steps.length} : ${steps[e.step]?.instruction ?? ''}\n` }];
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
          { aux: { ID: e.imageId } },
          { stream: `Successfully built ${e.imageId.slice(7, 19)}\n` },
          ...e.tags.map((t) => ({ stream: `Successfully tagged ${familiar(t)}\n` })),
        ];
      case 'build-error':
        return [{ errorDetail: { ...(e.exitCode !== undefined ? { code: e.exitCode } : {}), message: e.message }, error: e.message }];
    }
  };
}

/** "docker.io/library/x:latest" → "x:latest", as Docker prints tags. */
function familiar(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}
