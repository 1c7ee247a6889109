"""The directory and creator map (创客地图): spaces, incubators, parks, funds and platforms."""
