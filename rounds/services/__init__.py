"""Operations that change state: each runs in a transaction, checks access with
the access function and leaves its trace in the history. Views call these;
they never change models themselves. One module per area."""
