"""The publication API: values with their metadata, territory profiles, time series, choropleth maps and
exports. Only published values, and never a withheld one."""
