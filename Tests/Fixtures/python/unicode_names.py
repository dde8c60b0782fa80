def größe(länge: float, breite: float = 1.0) -> float:
    """Fläche berechnen."""
    return länge * breite


class Straße:
    def 名前(self) -> str:
        return "東京"
