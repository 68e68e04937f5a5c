// Who may do what: the one role/ownership table every use-case consults, and the errors a refusal becomes.
import { DomainError, type ErrorDetail } from '../domain/errors.js';
import type { Role } from '../storage/database.js';
import type { Principal } from './ports.js';

export const ROLES: readonly Role[] = ['bureau', 'reviewer', 'unit'];

export const ROLE_NAMES: Readonly<Record<Role, string>> = { bureau: '财政局', reviewer: '复核人员', unit: '预算单位' };

/** any: whatever unit it concerns; ownUnit: only what concerns the principal's own unit; none: refused. */
export type Grant = 'any' | 'ownUnit' | 'none';

interface ActionPolicy {
  /** what the action is, for messages: 只有…可以{label} */
  readonly label: string;
  readonly grants: Readonly<Record<Role, Grant>>;
  /**
   * For an action on what belongs to a unit, what a principal granted only its own unit gets for another unit's:
   * `notFound` — it is as if it did not exist (404: other units' evaluation ids cannot even be confirmed);
   * `forbidden` — 403; `leftOut` — lists leave it out. Absent: the action concerns no unit.
   */
  readonly otherUnit?: 'notFound' | 'forbidden' | 'leftOut';
}

export const POLICY = {
  readRuleSets: { label: '查看规则集', grants: { bureau: 'any', reviewer: 'any', unit: 'any' } },
  publishRuleSet: { label: '发布规则集新版本', grants: { bureau: 'any', reviewer: 'none', unit: 'none' } },
  /** trial scoring: nothing is stored */
  score: { label: '试算评分', grants: { bureau: 'any', reviewer: 'any', unit: 'any' } },
  submitEvaluation: { label: '提交自评评价', grants: { bureau: 'none', reviewer: 'none', unit: 'ownUnit' }, otherUnit: 'forbidden' },
  listEvaluations: { label: '查看评价列表', grants: { bureau: 'any', reviewer: 'any', unit: 'ownUnit' }, otherUnit: 'leftOut' },
  readEvaluation: { label: '查看评价', grants: { bureau: 'any', reviewer: 'any', unit: 'ownUnit' }, otherUnit: 'notFound' },
  verifyEvaluation: { label: '复验评价', grants: { bureau: 'any', reviewer: 'any', unit: 'ownUnit' }, otherUnit: 'notFound' },
  reviewEvaluation: { label: '录入复核分', grants: { bureau: 'none', reviewer: 'any', unit: 'none' } },
  /** 申诉: a unit disputes an item's points of its own evaluation; another unit's evaluation is as if absent */
  raiseDispute: { label: '提出申诉', grants: { bureau: 'none', reviewer: 'none', unit: 'ownUnit' }, otherUnit: 'notFound' },
  answerDispute: { label: '答复申诉', grants: { bureau: 'none', reviewer: 'any', unit: 'none' } },
  /** 佐证材料: a unit attaches files to items of its own evaluation (reading them is reading the evaluation) */
  attachEvidence: { label: '上传佐证材料', grants: { bureau: 'none', reviewer: 'none', unit: 'ownUnit' }, otherUnit: 'notFound' },
  rescoreEvaluations: { label: '重新评分已保存的评价', grants: { bureau: 'any', reviewer: 'none', unit: 'none' } },
  /** a dry run of a candidate rule-set version over stored evaluations: nothing is stored */
  previewImpact: { label: '预览规则集修改对已保存评价的影响', grants: { bureau: 'any', reviewer: 'none', unit: 'none' } },
} as const satisfies Record<string, ActionPolicy>;

export type Action = keyof typeof POLICY;

export const ACTIONS = Object.keys(POLICY) as Action[];

/** The operator running the CLI against the database file acts for the bureau (e.g. `rescore`). */
export const LOCAL_OPERATOR: Principal = { tokenId: 'local-operator', role: 'bureau', unitId: null };

export type RefusalCode = 'FORBIDDEN' | 'NOT_FOUND';

/** allowed; refused with an error code; or (lists) another unit's objects left out of what is shown */
export type Decision = 'allowed' | RefusalCode | 'leftOut';

function policyOf(action: Action): ActionPolicy {
  return POLICY[action];
}

/**
 * May `principal` do `action` — on something belonging to `ownerUnitId` when the action concerns one unit's object?
 * A unit principal without a unit (never issued) gets nothing its role grants only for its own unit.
 */
export function decide(principal: Pick<Principal, 'role' | 'unitId'>, action: Action, ownerUnitId?: string): Decision {
  const policy = policyOf(action);
  const grant = policy.grants[principal.role];
  if (grant === 'none' || (grant === 'ownUnit' && principal.unitId === null)) return 'FORBIDDEN';
  if (grant === 'any' || ownerUnitId === undefined || ownerUnitId === principal.unitId) return 'allowed';
  switch (policy.otherUnit) {
    case 'forbidden':
      return 'FORBIDDEN';
    case 'leftOut':
      return 'leftOut';
    default:
      return 'NOT_FOUND';
  }
}

/** The unit a principal's view of `action` is confined to (its own, for an ownUnit grant), or null for all units. */
export function unitScope(principal: Principal, action: Action): string | null {
  return policyOf(action).grants[principal.role] === 'ownUnit' ? principal.unitId : null;
}

export interface AuthorizationTarget {
  /** the unit the object belongs to */
  readonly unitId: string;
  /** the error for an object that does not exist, so that another unit's is told exactly the same */
  readonly notFound?: () => DomainError;
  /** where in the request the owning unit was named, for the error details */
  readonly path?: string;
}

/** Throws the refusal `decide` gives as the error the client sees; returns when allowed. */
export function authorize(principal: Principal, action: Action, target?: AuthorizationTarget): void {
  const decision = decide(principal, action, target?.unitId);
  if (decision === 'allowed') return;
  const { label, grants } = policyOf(action);
  if (decision === 'leftOut') throw new Error(`${action} leaves other units out of what it shows; it has no single object to authorize`);
  if (decision === 'NOT_FOUND') throw target?.notFound?.() ?? new DomainError('NOT_FOUND', '没有该对象');
  if (grants[principal.role] === 'none' || principal.unitId === null) {
    const allowed = ROLES.filter((r) => grants[r] !== 'none').map((r) => ROLE_NAMES[r]);
    throw new DomainError('FORBIDDEN', allowed.length > 0 ? `只有${allowed.join('或')}可以${label}` : `任何令牌都不能${label}`);
  }
  // the role may, but only for its own unit
  const details: ErrorDetail[] = target?.path
    ? [{ path: target.path, message: `令牌绑定的单位为「${principal.unitId}」，这里是单位「${target.unitId}」` }]
    : [];
  throw new DomainError('FORBIDDEN', `只能为本单位（${principal.unitId}）${label}`, details);
}

const GRANT_NAMES: Readonly<Record<Grant, string>> = { any: '可以', ownUnit: '仅限本单位', none: '不可' };

/** The grants of `action` in words, e.g. for the API document: 财政局：不可；复核人员：不可；预算单位：仅限本单位 */
export function describeGrants(action: Action): string {
  return ROLES.map((r) => `${ROLE_NAMES[r]}：${GRANT_NAMES[policyOf(action).grants[r]]}`).join('；');
}

/** The error codes a refusal of `action` can carry (what a route performing it must declare). */
export function refusalCodes(action: Action): RefusalCode[] {
  const policy = policyOf(action);
  const codes = new Set<RefusalCode>();
  if (ROLES.some((r) => policy.grants[r] === 'none')) codes.add('FORBIDDEN');
  if (ROLES.some((r) => policy.grants[r] === 'ownUnit')) {
    if (policy.otherUnit === 'forbidden') codes.add('FORBIDDEN');
    if (policy.otherUnit === 'notFound') codes.add('NOT_FOUND');
  }
  return [...codes];
}
