import {
  Autocomplete,
  Input,
  SegmentedControl,
  Select,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
  type TextInputProps,
} from '@mantine/core';
import { useId } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { type Control, Controller, get, useFormContext, useFormState } from 'react-hook-form';
import type { PlanForm } from './plan-form';

/** The message (client check or API) on one form field, by its name; `control` outside the form's provider. */
export function useFieldError(name: string, control?: Control<PlanForm>): string | undefined {
  const { errors } = useFormState<PlanForm>({ control });
  const error = get(errors, name) as { message?: string } | ({ message?: string } | undefined)[] | undefined;
  // A list (e.g. warning thresholds) carries its problems per item: show the first.
  if (Array.isArray(error)) return error.find((item) => item?.message)?.message || undefined;
  return error?.message || undefined;
}

type Name = string;

/** A text input bound to the plan form; numbers and codes are typed left to right. */
export function FormText({
  name,
  ltr,
  ...props
}: { name: Name; label: ReactNode; ltr?: boolean } & Omit<TextInputProps, 'name' | 'error'>) {
  const { register } = useFormContext<PlanForm>();
  const error = useFieldError(name);
  return <TextInput {...props} dir={ltr ? 'ltr' : props.dir} error={error} {...register(name as never)} />;
}

/** A decimal: `inputMode="decimal"`, left to right, unit on the side (%, a currency). */
export function FormDecimal({
  unit,
  ...props
}: { name: Name; label: ReactNode; unit?: string } & Omit<TextInputProps, 'name' | 'error'>) {
  return (
    <FormText
      inputMode="decimal"
      ltr
      autoComplete="off"
      rightSection={unit ? <span aria-hidden>{unit}</span> : undefined}
      rightSectionWidth={unit && unit.length > 1 ? 44 : undefined}
      {...props}
    />
  );
}

export function FormCount(props: { name: Name; label: ReactNode } & Omit<TextInputProps, 'name' | 'error'>) {
  return <FormText inputMode="numeric" ltr autoComplete="off" {...props} />;
}

export function FormTextarea({
  name,
  label,
  lang,
  dir,
}: {
  name: Name;
  label: ReactNode;
  lang?: string;
  dir?: 'ltr' | 'rtl';
}) {
  const { register } = useFormContext<PlanForm>();
  const error = useFieldError(name);
  return (
    <Textarea
      label={label}
      autosize
      minRows={2}
      maxRows={6}
      error={error}
      lang={lang}
      dir={dir}
      {...register(name as never)}
    />
  );
}

export function FormSelect({
  name,
  label,
  data,
  disabled,
  description,
  placeholder,
  testId,
}: {
  name: Name;
  label: ReactNode;
  data: { value: string; label: string }[];
  disabled?: boolean;
  description?: ReactNode;
  placeholder?: string;
  testId?: string;
}) {
  const { control } = useFormContext<PlanForm>();
  const error = useFieldError(name);
  return (
    <Controller
      control={control}
      name={name as never}
      render={({ field }) => (
        <Select
          label={label}
          description={description}
          placeholder={placeholder}
          data={data}
          value={(field.value as string | null) ?? null}
          onChange={(next) => next !== null && field.onChange(next)}
          onBlur={field.onBlur}
          ref={field.ref}
          error={error}
          allowDeselect={false}
          disabled={disabled}
          data-testid={testId}
        />
      )}
    />
  );
}

/** A rule that can be off: the switch; its error is the API's message about the rule as a whole. */
export function FormSwitch({ name, label, description }: { name: Name; label: ReactNode; description?: ReactNode }) {
  const { control } = useFormContext<PlanForm>();
  const error = useFieldError(name);
  return (
    <Controller
      control={control}
      name={name as never}
      render={({ field }) => (
        <Switch
          label={label}
          description={description}
          checked={Boolean(field.value)}
          onChange={(e) => field.onChange(e.currentTarget.checked)}
          onBlur={field.onBlur}
          ref={field.ref}
          error={error}
        />
      )}
    />
  );
}

/** A choice of two or three, as segments; a radio group named by its label. */
export function FormSegmented({
  name,
  label,
  data,
}: {
  name: Name;
  label: string;
  data: { value: string; label: string }[];
}) {
  const { control } = useFormContext<PlanForm>();
  const labelId = useId();
  return (
    <Controller
      control={control}
      name={name as never}
      render={({ field }) => (
        <Input.Wrapper label={label} labelElement="div" id={labelId}>
          <div>
            <SegmentedControl
              role="radiogroup"
              aria-labelledby={`${labelId}-label`}
              data={data}
              value={field.value as string}
              onChange={field.onChange}
              size="sm"
              fullWidth
            />
          </div>
        </Input.Wrapper>
      )}
    />
  );
}

export function FormTimeZone({ name, label, zones }: { name: Name; label: ReactNode; zones: string[] }) {
  const { control } = useFormContext<PlanForm>();
  const error = useFieldError(name);
  return (
    <Controller
      control={control}
      name={name as never}
      render={({ field }) => (
        <Autocomplete
          label={label}
          data={zones}
          limit={50}
          openOnFocus={false}
          value={field.value as string}
          onChange={field.onChange}
          onBlur={field.onBlur}
          ref={field.ref}
          error={error}
          spellCheck={false}
          dir="ltr"
        />
      )}
    />
  );
}

/** Whole percentages, typed one by one (Enter or comma between them). */
export function FormThresholds({
  name,
  label,
  description,
}: {
  name: Name;
  label: ReactNode;
  description?: ReactNode;
}) {
  const { control } = useFormContext<PlanForm>();
  const error = useFieldError(name);
  return (
    <Controller
      control={control}
      name={name as never}
      render={({ field }) => (
        <TagsInput
          label={label}
          description={description}
          value={field.value as string[]}
          onChange={(next) => field.onChange(next.map((v) => v.replace(/[^\d]/g, '')).filter(Boolean))}
          onBlur={field.onBlur}
          ref={field.ref}
          error={error}
          splitChars={[',', ' ']}
          dir="ltr"
          clearable
        />
      )}
    />
  );
}
