"""Map rendering (folium HTML with locally shipped Leaflet assets): no Qt."""
