"""Weather and irradiance for Moroccan sites, on pvlib."""
