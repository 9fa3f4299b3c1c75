import { Button, Input, NativeSelect } from "@/components/ui";
import { conditionText } from "@/lib/dunning/segment-store";
import { segmentFields, segmentOps, type SegmentCondition } from "@/lib/dunning/segments";
import { segmentFieldLabels, segmentOpLabels } from "../../_components/dunning-ui";
import { segmentAction } from "../../dunning-actions";
import { LiveCount } from "./live-count";
import { SegmentFormShell } from "./segment-form-shell";

const fieldOptions = segmentFields.map((f) => ({ value: f, label: segmentFieldLabels[f] }));
const opOptions = segmentOps.map((o) => ({ value: o, label: segmentOpLabels[o] }));

type Props = {
  /** Absent for the "add a segment" form. */
  segment?: { id: string; name: string; policyKey: string; conditions: SegmentCondition[] };
  position: number;
  total: number;
  policyKeys: string[];
  counts: { matching: number; first: number } | null;
};

function ConditionRow({ formId, index, condition, removable }: { formId: string; index: number; condition?: SegmentCondition; removable: boolean }) {
  const id = (part: string) => `${formId}-${part}-${index}`;
  const label = condition ? `Condition ${index + 1}` : "New condition";
  return (
    <li className="flex flex-wrap items-center gap-2">
      <NativeSelect label={`${label}: field`} hideLabel id={id("field")} name={`field.${index}`} defaultValue={condition?.field ?? "mrr_minor"} options={fieldOptions} className="w-56" />
      <NativeSelect label={`${label}: comparison`} hideLabel id={id("op")} name={`op.${index}`} defaultValue={condition?.op ?? "gte"} options={opOptions} className="w-36" />
      <label htmlFor={id("value")} className="sr-only">
        {label}: value
      </label>
      <div className="w-56">
        <Input id={id("value")} name={`value.${index}`} defaultValue={condition ? conditionText(condition.value) : ""} placeholder={condition ? undefined : "value, or a, b, c for a list"} />
      </div>
      {removable ? (
        <Button type="submit" name="intent" value={`drop:${index}`} variant="ghost" size="sm">
          Remove<span className="sr-only"> condition {index + 1}</span>
        </Button>
      ) : null}
    </li>
  );
}

/** One rule as a form that works without JavaScript; the last one adds a rule. */
export function SegmentRuleForm({ segment, position, total, policyKeys, counts }: Props) {
  const formId = segment ? `segment-form-${position}` : "segment-new";
  const conditions = segment?.conditions ?? [];
  const keys = segment && !policyKeys.includes(segment.policyKey) ? [...policyKeys, segment.policyKey] : policyKeys;
  const title = segment ? `${position + 1}. ${segment.name}` : "Add a segment";
  return (
    <section id={segment ? `segment-${position}` : "segment-add"} aria-labelledby={`${formId}-title`} className="rounded-card border border-border bg-surface p-4">
      <SegmentFormShell id={formId} action={segmentAction} label={title}>
        {segment ? <input type="hidden" name="segmentId" value={segment.id} /> : null}
        <input type="hidden" name="position" value={position} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h2 id={`${formId}-title`} className="text-sm font-semibold text-text">
            {title}
          </h2>
          <LiveCount formId={formId} initial={counts} />
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex w-64 flex-col gap-1.5">
            <label htmlFor={`${formId}-name`} className="text-sm font-medium text-text">
              Name
            </label>
            <Input id={`${formId}-name`} name="name" defaultValue={segment?.name} required maxLength={80} placeholder="High value" />
          </div>
          <NativeSelect
            label="Uses policy"
            id={`${formId}-policy`}
            name="policyKey"
            defaultValue={segment?.policyKey ?? policyKeys[0] ?? ""}
            className="w-56"
            options={keys.map((k) => ({ value: k, label: policyKeys.includes(k) ? k : `${k} (missing)` }))}
          />
        </div>
        <fieldset className="space-y-2">
          <legend className="mb-1.5 text-sm font-medium text-text">{conditions.length ? "When all of these hold" : "Conditions (none: every customer matches)"}</legend>
          <ul className="space-y-2">
            {conditions.map((condition, i) => (
              <ConditionRow key={i} formId={formId} index={i} condition={condition} removable />
            ))}
            {conditions.length < 20 ? <ConditionRow formId={formId} index={conditions.length} removable={false} /> : null}
          </ul>
          <p className="text-xs text-muted">Fill in the last row to add a condition. Money is in minor units (4900 = 49.00); text compares without case.</p>
        </fieldset>
        <div className="flex flex-wrap items-center gap-2 border-t border-border pt-3">
          <Button type="submit" name="intent" value={segment ? "save" : "add"} size="sm">
            {segment ? "Save segment" : "Add segment"}
          </Button>
          {segment ? (
            <>
              <Button type="submit" name="intent" value="up" variant="secondary" size="sm" disabled={position === 0}>
                Move up<span className="sr-only">: {segment.name}</span>
              </Button>
              <Button type="submit" name="intent" value="down" variant="secondary" size="sm" disabled={position === total - 1}>
                Move down<span className="sr-only">: {segment.name}</span>
              </Button>
              <Button type="submit" name="intent" value="delete" variant="ghost" size="sm" className="ml-auto text-danger">
                Delete<span className="sr-only"> {segment.name}</span>
              </Button>
            </>
          ) : null}
        </div>
      </SegmentFormShell>
    </section>
  );
}
