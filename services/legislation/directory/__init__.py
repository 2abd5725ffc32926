"""The legislative directory per division: offices, contact points and their partners, liaison
officers and information-collection points."""
