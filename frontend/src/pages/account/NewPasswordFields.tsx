import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useState } from "react";

/** The API's rule (12 characters at least), checked here too so that the person learns it while typing. */
export const MIN_PASSWORD_LENGTH = 12;

export interface NewPassword {
  value: string;
  confirmation: string;
  setValue: (value: string) => void;
  setConfirmation: (value: string) => void;
  /** Shown under the confirmation once a submit found the two entries different. */
  mismatch: boolean;
  /** True when the entries can be sent; otherwise marks the mismatch. */
  check: () => boolean;
  reset: () => void;
}

export function useNewPassword(): NewPassword {
  const [value, setValue] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  return {
    value,
    confirmation,
    setValue,
    setConfirmation: (next) => {
      setConfirmation(next);
      setMismatch(false);
    },
    mismatch,
    check: () => {
      setMismatch(value !== confirmation);
      return value === confirmation;
    },
    reset: () => {
      setValue("");
      setConfirmation("");
      setMismatch(false);
    },
  };
}

/** A new password and its confirmation, with the length rule as a live message. */
export function NewPasswordFields({
  password,
  serverError,
}: {
  password: NewPassword;
  serverError?: string;
}) {
  const long = password.value.length >= MIN_PASSWORD_LENGTH;
  return (
    <>
      <PasswordInput
        label="Nouveau mot de passe"
        messagesHint="Votre mot de passe doit contenir :"
        messages={[
          {
            severity: password.value && !long ? "error" : long ? "valid" : "info",
            message: `${MIN_PASSWORD_LENGTH} caractères au moins`,
          },
          ...(serverError ? [{ severity: "error" as const, message: serverError }] : []),
        ]}
        nativeInputProps={{
          name: "new_password",
          autoComplete: "new-password",
          value: password.value,
          onChange: (event) => password.setValue(event.target.value),
        }}
      />
      <PasswordInput
        label="Confirmation du nouveau mot de passe"
        messages={
          password.mismatch ? [{ severity: "error", message: "Les deux mots de passe sont différents." }] : []
        }
        nativeInputProps={{
          name: "new_password_confirmation",
          autoComplete: "new-password",
          value: password.confirmation,
          onChange: (event) => password.setConfirmation(event.target.value),
        }}
      />
    </>
  );
}
