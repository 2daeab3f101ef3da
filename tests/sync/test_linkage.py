"""The linkage model (sync/linkage.py), the clustering (sync/clustering.py) and the records put right
(sync/repair.py), without a database."""

from typing import cast

import numpy as np

from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import Communes
from fne_directory.sync import linkage, repair
from fne_directory.sync.candidates import CandidateIndex
from fne_directory.sync.clustering import Incoming, Linker, cluster
from fne_directory.territories.models import Commune

HALL = {
    "nom": "Mairie de Chambéry",
    "adresse": "1 place de l'Hôtel de Ville",
    "code_insee": "73065",
    "commune": "Chambéry",
    "latitude": 45.5646,
    "longitude": 5.9178,
    "telephone": "04 79 60 20 20",
    "pivot": "21730065600014",
    "courriels": ["mairie@chambery.fr"],
}


def level(a: dict, b: dict, criterion: str) -> str | None:
    levels, _ = linkage.compare(linkage.features(a), linkage.features(b))
    index = levels[linkage.NAMES.index(criterion)]
    return None if index < 0 else linkage.CRITERIA[criterion][index]


def test_names_are_compared_without_their_generic_words_and_their_commune() -> None:
    assert linkage.name_core("Médiathèque municipale de Chambéry", "Chambéry") == ("", "mediatheque")
    assert linkage.name_core("C.C.A.S. de Chambéry", "Chambéry") == ("", "ccas")
    assert linkage.name_core("Association La Fabrique (Chambéry)", "Chambéry") == ("fabrique", "association")
    # One name written several ways: kinds' synonyms and abbreviations, initials, "municipale".
    assert level(HALL, {**HALL, "nom": "Hôtel de ville de Chambéry"}, "nom") == "identique"
    assert linkage.full_name("EPN de St-Jean-d'Arvey") == linkage.full_name(
        "Espace public numérique de Saint-Jean-d'Arvey"
    )
    assert linkage.full_name("Bibliothèque municipale de Séez") == linkage.full_name("Médiathèque de Séez")
    assert linkage.full_name("C.C.A.S. Sonnaz") == linkage.full_name("CCAS de Sonnaz")
    assert (
        level(
            {**HALL, "nom": "Espace France Services de Chambéry"},
            {**HALL, "nom": "Maison France Services Chambéry"},
            "nom",
        )
        == "generique_meme_type"
    )
    # The town hall and its library: names that agree only where the kinds differ — never merged.
    library = {**HALL, "nom": "Médiathèque municipale de Chambéry"}
    assert level(HALL, library, "nom") == "autre_type"
    assert linkage.vetoed(linkage.compare(linkage.features(HALL), linkage.features(library))[0])
    assert level({**HALL, "nom": "Maison de quartier 2"}, {**HALL, "nom": "Maison de quartier 3"}, "nom") == (
        "different"
    )
    chain = {**HALL, "nom": "Emmaüs Connect", "code_insee": "73011", "commune": "Albertville"}
    assert level({**HALL, "nom": "Emmaüs Connect"}, chain, "nom") == "identique_autre_commune"


def test_addresses_follow_the_ban_conventions_and_numbers_must_agree() -> None:
    assert linkage.address_parts("12 bis Av. du Gal de Gaulle") == ("12bis", "avenue general gaulle")
    assert level({**HALL, "adresse": "1 pl. de l'Hotel de Ville"}, HALL, "adresse") == "identique"
    assert level({**HALL, "adresse": "PLACE DE L'HOTEL DE VILLE"}, HALL, "adresse") == "meme_voie"
    assert (
        level({**HALL, "adresse": "3 rue de la Gare"}, {**HALL, "adresse": "30 r. de la Gare"}, "adresse")
        == "autre_numero"
    )


def test_contacts_siret_distance_and_hints_have_their_levels() -> None:
    moved = {**HALL, "latitude": 45.5746, "telephone": "+33 4 79 60 20 20", "pivot": "21730065600022"}
    assert level(HALL, moved, "distance") == "moins_2_km" and level(HALL, moved, "telephone") == "identique"
    assert (
        level(HALL, moved, "siret") == "meme_siren" and level(HALL, {**HALL, "pivot": None}, "siret") is None
    )
    a = linkage.features(
        HALL, key="dora-1", hints=[{"source": "mediation-numerique", "id": "mn-1"}], di_keys={"dora-1"}
    )
    b = linkage.features(HALL, key="mn-1", di_keys={"mn-1"})
    c = linkage.features(HALL, key="mn-2", di_keys={"mn-2"})
    assert linkage.CRITERIA["doublons"][linkage.compare(a, b)[0][-1]] == "signale"
    assert linkage.CRITERIA["doublons"][linkage.compare(a, c)[0][-1]] == "non_signale"
    assert linkage.compare(a, linkage.features(HALL))[0][-1] == -1  # not data·inclusion's: no hint to expect
    # data·inclusion looks for duplicates across producers: two of one producer's records, no hint expected.
    dora = linkage.features(HALL, key="dora-1", di_keys={"dora-1"}, producers={"dora"})
    also_dora = linkage.features(HALL, key="dora-2", di_keys={"dora-2"}, producers={"dora"})
    assert linkage.compare(dora, also_dora)[0][-1] == -1
    mn = linkage.features(HALL, key="mn-1", di_keys={"mn-1"}, producers={"mediation-numerique"})
    assert linkage.CRITERIA["doublons"][linkage.compare(dora, mn)[0][-1]] == "non_signale"


def test_one_street_blocks_only_where_the_numbers_agree() -> None:
    """Two places of a street are compared when their numbers agree or one has none; the index finds exactly
    the pairs `blocked` keeps."""
    base = {"code_insee": "73065", "commune": "Chambéry", "latitude": None, "longitude": None}
    alpha = linkage.features({**base, "nom": "Tiers-lieu Alpha", "adresse": "3 rue de la Gare"})
    others = {
        "same number": ({**base, "nom": "Association Beta", "adresse": "3 r. de la Gare"}, True),
        "no number": ({**base, "nom": "Association Gamma", "adresse": "rue de la Gare"}, True),
        "other number": ({**base, "nom": "Association Delta", "adresse": "30 rue de la Gare"}, False),
    }
    index = CandidateIndex("test")
    for name, (place, _) in others.items():
        index.add(name, linkage.features(place), set())
    found = {place_id for place_id, _ in index.sharing(alpha)}
    for name, (place, kept) in others.items():
        assert linkage.blocked(alpha, linkage.features(place)) is kept, name
        assert (name in found) is kept, name
    # Seen from the place without a number: every number of the street.
    index.add("alpha", alpha, set())
    gamma = linkage.features(others["no number"][0])
    assert {"alpha", "same number", "other number"} <= {place_id for place_id, _ in index.sharing(gamma)}


def test_em_recovers_the_weights_that_generated_the_pairs() -> None:
    rng = np.random.default_rng(7)
    true_m = {name: np.roll(np.linspace(3, 1, len(levels)), 0) for name, levels in linkage.CRITERIA.items()}
    true_u = {name: np.linspace(1, 3, len(levels)) for name, levels in linkage.CRITERIA.items()}
    rows = []
    for _ in range(4000):
        match = rng.random() < 0.3
        source = true_m if match else true_u
        rows.append(
            [
                rng.choice(len(linkage.CRITERIA[name]), p=source[name] / source[name].sum())
                for name in linkage.NAMES
            ]
        )
    model = linkage.Model().estimate(np.array(rows))
    assert abs(model.prior - 0.3) < 0.05
    expected = np.log2(
        (true_m["adresse"] / true_m["adresse"].sum()) / (true_u["adresse"] / true_u["adresse"].sum())
    )
    assert np.allclose(model.weights()["adresse"], expected, atol=0.35)
    # Explanations carry a level and a weight per criterion present.
    explained = model.explain([0, 0, -1, 1, -1, -1, 0, -1], {"distance_m": None}, 0.97)
    assert set(explained["criteres"]) == {"nom", "adresse", "telephone", "commune"}
    assert explained["criteres"]["nom"]["niveau"] == "identique" and explained["probabilite"] == 0.97


def test_the_automatic_threshold_holds_the_precision_asked() -> None:
    best = np.array([0.999] * 90 + [0.9] * 10 + [0.6] * 10)
    assert linkage.automatic_threshold(best, 0.99, 0.5) == 0.9  # mean 0.989 from 0.6: too low
    assert linkage.automatic_threshold(best, 0.99, 0.95) == 0.95  # never below the floor
    # Counted from pairs known apart: none of 100 reaches 0.6, so 0.6 holds when few pairs are non-matches.
    assert (
        linkage.apart_threshold(best, np.full(100, 0.1), pairs=120, prior=0.9, precision=0.99, floor=0.5)
        == 0.6
    )
    assert (
        linkage.apart_threshold(best, np.full(100, 0.95), pairs=120, prior=0.9, precision=0.99, floor=0.5)
        == 0.999
    )
    assert linkage.apart_threshold(best, np.full(10, 0.1), 120, 0.9, 0.99, 0.5) is None  # too few to count


def test_two_records_of_one_origin_are_not_put_in_one_place_on_a_lesser_pair() -> None:
    index = CandidateIndex("mednum73")
    index.add("p1", linkage.features({**HALL, "nom": "Espace numérique Le Lien"}), {"mednum73"})
    linker = Linker(0.99, 0.5, 0.3)
    same = Incoming(linkage.features({**HALL, "nom": "Espace numérique Le Lien"}), "data-inclusion/dora")
    also = Incoming(linkage.features({**HALL, "nom": "Le Lien", "telephone": None}), "data-inclusion/dora")
    outcome = cluster([same, also], index, linker)
    # Each record's best pair is the place; the two records of one producer do not both join it unless the
    # model is sure of that very pair.
    grouped = [sorted(str(node) for node in group) for group in outcome.groups]
    assert any("('p', 'p1')" in " ".join(group) for group in grouped)
    assert all(sum(node.startswith("('r'") for node in group) <= 2 for group in grouped)
    assert outcome.threshold >= 0.5


def test_swapped_coordinates_and_commune_names_are_put_right() -> None:
    values = {"latitude": 5.9178, "longitude": 45.5646}
    [warning] = repair.swapped_coordinates(values)
    assert values == {"latitude": 45.5646, "longitude": 5.9178} and "inversées" in warning["reason"]
    assert repair.swapped_coordinates({"latitude": 45.5, "longitude": 5.9}) == []
    assert repair.commune_key("St-Genix-les-Villages") == repair.commune_key("Saint Genix les Villages")
    assert repair.commune_key("Bâthie") == repair.commune_key("La Bâthie")
    assert repair.commune_key("Ste-Foy-Tarentaise") == repair.commune_key("Sainte-Foy-Tarentaise")
    assert repair.commune_key("La Motte-Servolex") != repair.commune_key("La Ravoire")


class _Commune:
    def __init__(self, code: str, nom: str, departement_code: str = "73") -> None:
        self.code, self.nom, self.departement_code = code, nom, departement_code
        self.latitude, self.longitude = 45.5, 5.9


class _Communes:
    def by_postal_code(self, code_postal: str) -> list[_Commune]:
        return [_Commune("73236", "Saint-Genix-les-Villages"), _Commune("73040", "Belmont-Tramonet")]


def test_a_commune_is_found_among_those_of_its_postal_code() -> None:
    place = PlaceInput.model_validate(
        {"nom": "Lieu", "adresse": "1 rue Haute", "code_postal": "73240", "commune": "ST-GENIX-LES-VILLAGES"}
    )
    communes = cast(Communes, _Communes())  # stands in for the commune lookup: by_postal_code only
    found = repair.named_commune(communes, place)
    assert found is not None and found.code == "73236"
    unknown = place.model_copy(update={"commune": "Ailleurs"})
    assert repair.named_commune(communes, unknown) is None
    outside = repair.outside(cast(Commune, _Commune("74010", "Annecy", "74")), "73")
    assert outside is not None and "hors du département servi (73)" in outside["reason"]
    assert repair.outside(cast(Commune, _Commune("73065", "Chambéry")), "73") is None
