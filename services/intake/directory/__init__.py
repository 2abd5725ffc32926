"""Where items come from: townships, villages or communities, grids, liaison stations, deputies."""
