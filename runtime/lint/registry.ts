// THE registry: every rule, in the order they run (BuildKit's order first, as its docs list
// them, then hadolint's by code). Adding a rule = one module in rules/ + one line here.
import type { Rule } from './rule';
import stageNameCasing from './rules/stage-name-casing';
import fromAsCasing from './rules/from-as-casing';
import noEmptyContinuation from './rules/no-empty-continuation';
import consistentInstructionCasing from './rules/consistent-instruction-casing';
import duplicateStageName from './rules/duplicate-stage-name';
import reservedStageName from './rules/reserved-stage-name';
import jsonArgsRecommended from './rules/json-args-recommended';
import maintainerDeprecated from './rules/maintainer-deprecated';
import undefinedArgInFrom from './rules/undefined-arg-in-from';
import workdirRelativePath from './rules/workdir-relative-path';
import undefinedVar from './rules/undefined-var';
import multipleInstructionsDisallowed from './rules/multiple-instructions-disallowed';
import legacyKeyValueFormat from './rules/legacy-key-value-format';
import redundantTargetPlatform from './rules/redundant-target-platform';
import secretsUsedInArgOrEnv from './rules/secrets-used-in-arg-or-env';
import invalidDefaultArgInFrom from './rules/invalid-default-arg-in-from';
import fromPlatformFlagConstDisallowed from './rules/from-platform-flag-const-disallowed';
import copyIgnoredFile from './rules/copy-ignored-file';
import invalidDefinitionDescription from './rules/invalid-definition-description';
import exposeProtoCasing from './rules/expose-proto-casing';
import exposeInvalidFormat from './rules/expose-invalid-format';
import dockerfileParseError from './rules/dockerfile-parse-error';
import dl1001 from './rules/dl1001';
import dl3000 from './rules/dl3000';
import dl3001 from './rules/dl3001';
import dl3002 from './rules/dl3002';
import dl3003 from './rules/dl3003';
import dl3004 from './rules/dl3004';
import dl3006 from './rules/dl3006';
import dl3007 from './rules/dl3007';
import dl3008 from './rules/dl3008';
import dl3009 from './rules/dl3009';
import dl3010 from './rules/dl3010';
import dl3011 from './rules/dl3011';
import dl3012 from './rules/dl3012';
import dl3013 from './rules/dl3013';
import dl3014 from './rules/dl3014';
import dl3015 from './rules/dl3015';
import dl3016 from './rules/dl3016';
import dl3018 from './rules/dl3018';
import dl3019 from './rules/dl3019';
import dl3020 from './rules/dl3020';
import dl3021 from './rules/dl3021';
import dl3022 from './rules/dl3022';
import dl3023 from './rules/dl3023';
import dl3024 from './rules/dl3024';
import dl3025 from './rules/dl3025';
import dl3026 from './rules/dl3026';
import dl3027 from './rules/dl3027';
import dl3028 from './rules/dl3028';
import dl3029 from './rules/dl3029';
import dl3030 from './rules/dl3030';
import dl3032 from './rules/dl3032';
import dl3033 from './rules/dl3033';
import dl3034 from './rules/dl3034';
import dl3035 from './rules/dl3035';
import dl3036 from './rules/dl3036';
import dl3037 from './rules/dl3037';
import dl3038 from './rules/dl3038';
import dl3040 from './rules/dl3040';
import dl3041 from './rules/dl3041';
import dl3042 from './rules/dl3042';
import dl3043 from './rules/dl3043';
import dl3044 from './rules/dl3044';
import dl3045 from './rules/dl3045';
import dl3046 from './rules/dl3046';
import dl3047 from './rules/dl3047';
import dl3048 from './rules/dl3048';
import dl3049 from './rules/dl3049';
import dl3050 from './rules/dl3050';
import dl3051 from './rules/dl3051';
import dl3052 from './rules/dl3052';
import dl3053 from './rules/dl3053';
import dl3054 from './rules/dl3054';
import dl3055 from './rules/dl3055';
import dl3056 from './rules/dl3056';
import dl3057 from './rules/dl3057';
import dl3058 from './rules/dl3058';
import dl3059 from './rules/dl3059';
import dl3060 from './rules/dl3060';
import dl3061 from './rules/dl3061';
import dl3062 from './rules/dl3062';
import dl3063 from './rules/dl3063';
import dl3064 from './rules/dl3064';
import dl3065 from './rules/dl3065';
import dl3066 from './rules/dl3066';
import dl3067 from './rules/dl3067';
import dl4000 from './rules/dl4000';
import dl4001 from './rules/dl4001';
import dl4003 from './rules/dl4003';
import dl4004 from './rules/dl4004';
import dl4005 from './rules/dl4005';
import dl4006 from './rules/dl4006';

export const RULES: readonly Rule[] = [
  stageNameCasing,
  fromAsCasing,
  noEmptyContinuation,
  consistentInstructionCasing,
  duplicateStageName,
  reservedStageName,
  jsonArgsRecommended,
  maintainerDeprecated,
  undefinedArgInFrom,
  workdirRelativePath,
  undefinedVar,
  multipleInstructionsDisallowed,
  legacyKeyValueFormat,
  redundantTargetPlatform,
  secretsUsedInArgOrEnv,
  invalidDefaultArgInFrom,
  fromPlatformFlagConstDisallowed,
  copyIgnoredFile,
  invalidDefinitionDescription,
  exposeProtoCasing,
  exposeInvalidFormat,
  dockerfileParseError,
  dl1001,
  dl3000,
  dl3001,
  dl3002,
  dl3003,
  dl3004,
  dl3006,
  dl3007,
  dl3008,
  dl3009,
  dl3010,
  dl3011,
  dl3012,
  dl3013,
  dl3014,
  dl3015,
  dl3016,
  dl3018,
  dl3019,
  dl3020,
  dl3021,
  dl3022,
  dl3023,
  dl3024,
  dl3025,
  dl3026,
  dl3027,
  dl3028,
  dl3029,
  dl3030,
  dl3032,
  dl3033,
  dl3034,
  dl3035,
  dl3036,
  dl3037,
  dl3038,
  dl3040,
  dl3041,
  dl3042,
  dl3043,
  dl3044,
  dl3045,
  dl3046,
  dl3047,
  dl3048,
  dl3049,
  dl3050,
  dl3051,
  dl3052,
  dl3053,
  dl3054,
  dl3055,
  dl3056,
  dl3057,
  dl3058,
  dl3059,
  dl3060,
  dl3061,
  dl3062,
  dl3063,
  dl3064,
  dl3065,
  dl3066,
  dl3067,
  dl4000,
  dl4001,
  dl4003,
  dl4004,
  dl4005,
  dl4006,
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleByCode(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
