"""Views of the rounds app, one module per area: organisation, round (set-up and
instructions), analysis (the grid and its workflow), proposal."""
