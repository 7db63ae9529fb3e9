"""Operations that change the ranking app's state: each runs in a transaction,
checks access with the access function and leaves its trace in the history.
Views call these; they never change models themselves. One module per area:
``namnd``, ``forum`` (the members' sheets) and ``decision`` (the forum's
outcome)."""
