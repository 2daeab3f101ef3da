import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { type Ref, useImperativeHandle, useState } from "react";

import type { Commune } from "../api/types";
import { communesMatching } from "../lib/communes";

export interface ChosenLocation {
  lat: number;
  lon: number;
  label: string;
}

export interface LocationPickerHandle {
  /**
   * Turns what was typed into a place to search around (called when the search form is submitted); false when
   * the person still has to answer (several communes to choose from, nothing found).
   */
  resolve: () => Promise<boolean>;
}

interface Props {
  current: string | null;
  onChoose: (location: ChosenLocation | null) => void;
  /** Called once the device's position is known ("Autour de moi"): the results can take the focus. */
  onLocated?: () => void;
  ref?: Ref<LocationPickerHandle>;
}

/**
 * "Near where?": a commune (or postcode) typed and confirmed, or the device's position ("Autour de moi").
 * When several communes match, the person picks one among radio buttons: no timed suggestion list to chase.
 */
export function LocationPicker({ current, onChoose, onLocated, ref }: Props) {
  const [text, setText] = useState(current && current !== "ma position" ? current : "");
  const [choices, setChoices] = useState<Commune[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const chooseCommune = (commune: Commune) => {
    setChoices([]);
    setMessage(null);
    setText(commune.nom);
    onChoose({ lat: commune.latitude!, lon: commune.longitude!, label: commune.nom });
  };

  const resolve = async () => {
    const typed = text.trim();
    if (typed === (current ?? "") || (!typed && current === "ma position")) return true;
    if (!typed) {
      onChoose(null);
      return true;
    }
    setBusy(true);
    try {
      const found = await communesMatching(typed);
      if (found.length === 0) setMessage(`Aucune commune ne correspond à « ${typed} ».`);
      else if (found.length === 1) {
        chooseCommune(found[0]);
        return true;
      } else {
        setMessage(null);
        setChoices(found);
      }
    } catch {
      setMessage("La recherche de commune est momentanément indisponible. Réessayez.");
    } finally {
      setBusy(false);
    }
    return false;
  };

  useImperativeHandle(ref, () => ({ resolve }));

  const aroundMe = () => {
    if (!("geolocation" in navigator)) {
      setMessage("Votre navigateur ne donne pas votre position : indiquez une commune.");
      return;
    }
    setBusy(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setBusy(false);
        setText("");
        setMessage(null);
        onChoose({ lat: position.coords.latitude, lon: position.coords.longitude, label: "ma position" });
        onLocated?.();
      },
      () => {
        setBusy(false);
        setMessage("Votre position n'a pas pu être obtenue : indiquez une commune.");
      },
      { timeout: 10000, maximumAge: 300000 },
    );
  };

  return (
    <div>
      <Input
        label="Près de (commune ou code postal)"
        hintText="Les lieux les plus proches s'affichent en premier."
        state={message ? "error" : "default"}
        stateRelatedMessage={message ?? undefined}
        nativeInputProps={{
          name: "pres",
          value: text,
          autoComplete: "address-level2",
          onChange: (event) => setText(event.target.value),
        }}
      />
      <div className="fne-inline-actions">
        <Button
          type="button"
          size="small"
          priority="tertiary"
          iconId="fr-icon-map-pin-2-line"
          onClick={aroundMe}
          disabled={busy}
        >
          Autour de moi
        </Button>
        {current && (
          <Button
            type="button"
            size="small"
            priority="tertiary no outline"
            onClick={() => {
              setText("");
              onChoose(null);
            }}
          >
            Retirer le lieu de départ
          </Button>
        )}
      </div>
      {choices.length > 1 && (
        <RadioButtons
          legend="Plusieurs communes correspondent : laquelle ?"
          small
          options={choices.map((commune) => ({
            label: `${commune.nom} (${commune.codes_postaux[0] ?? commune.departement_code})`,
            nativeInputProps: {
              name: "commune-choisie",
              value: commune.code,
              onChange: () => chooseCommune(commune),
            },
          }))}
        />
      )}
    </div>
  );
}
