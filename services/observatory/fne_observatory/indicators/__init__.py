"""The indicator catalogue and the published values: aggregation up the territorial levels following each
indicator's rule, with disclosure control."""
