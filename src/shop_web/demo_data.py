"""What the demo catalog is made of: sellers, a category tree and product templates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seller:
    email: str
    first_name: str  # the vendor's shown name is "first_name last_name"
    last_name: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class Shelf:
    """A leaf category and how to make believable products for it."""

    name: str
    nouns: tuple[tuple[str, int, int], ...]  # (noun, lowest price, highest price)
    styles: tuple[str, ...]
    blurb: str  # "{noun}" is replaced with the product's noun


SELLERS = (
    Seller("volt@demo.shop", "Volt &", "Co. Electronics", ("Electronics",)),
    Seller("northwind@demo.shop", "Northwind", "Home", ("Home & Kitchen",)),
    Seller("trailhead@demo.shop", "Trailhead", "Outfitters", ("Sports & Outdoors", "Fashion")),
    Seller("lantern@demo.shop", "Paper Lantern", "Books", ("Books",)),
)


def _shelf(name: str, nouns: str, styles: str, blurb: str) -> Shelf:
    """``nouns`` reads ``"Laptop 450-1900, Wireless Mouse 12-60"``."""
    parsed = []
    for item in nouns.split(", "):
        noun, prices = item.rsplit(" ", 1)
        low, high = prices.split("-")
        parsed.append((noun, int(low), int(high)))
    return Shelf(name, tuple(parsed), tuple(styles.split(", ")), blurb)


# department -> sub-category -> leaf shelves (a shelf named like its sub-category is the
# sub-category itself)
TREE: dict[str, dict[str, tuple[Shelf, ...]]] = {
    "Electronics": {
        "Phones": (_shelf("Phones", "Smartphone 180-1100, Phone Case 9-45, Fast Charger 15-60, "
                          "Power Bank 19-89", "Aero, Nova, Pulse, Zen, Orbit",
                          "A {noun} with all-day battery life and a two-year warranty."),),
        "Audio": (
            _shelf("Headphones", "Wireless Headphones 59-349, Earbuds 29-249, "
                   "Studio Headphones 89-399", "Hush, Bassline, Clarity, Echo, Drift",
                   "{noun} with active noise cancelling and a carrying case."),
            _shelf("Speakers", "Bluetooth Speaker 29-199, Soundbar 99-699, "
                   "Bookshelf Speakers 149-599", "Boom, Room, Vibe, Tide",
                   "Room-filling sound from a compact {noun}; pairs in seconds."),
        ),
        "Computers": (_shelf("Computers", "Laptop 449-2199, Mechanical Keyboard 49-189, "
                             "Wireless Mouse 12-89, USB-C Hub 19-79, 27in Monitor 179-649",
                             "Slate, Forge, Swift, Atlas",
                             "A dependable {noun} for work and play."),),
        "Cameras": (_shelf("Cameras", "Mirrorless Camera 549-1899, Action Camera 149-449, "
                           "Tripod 25-180, Camera Bag 35-150", "Lumen, Vista, Focus",
                           "Capture every moment with this {noun}."),),
    },
    "Home & Kitchen": {
        "Cookware": (_shelf("Cookware", "Cast Iron Skillet 25-89, Stock Pot 29-149, "
                            "Chef Knife 35-220, Cutting Board 15-79, Dutch Oven 59-299",
                            "Heritage, Copper, Everyday, Pro",
                            "A {noun} that heats evenly and lasts for decades."),),
        "Coffee & Tea": (_shelf("Coffee & Tea", "Pour-Over Kettle 29-119, French Press 19-69, "
                                "Burr Grinder 49-329, Teapot 19-89, Espresso Cups 12-45",
                                "Morning, Barista, Slow, Kyoto",
                                "Make better coffee and tea at home with this {noun}."),),
        "Furniture": (_shelf("Furniture", "Oak Desk 249-899, Reading Chair 189-749, "
                             "Bookcase 99-499, Side Table 49-229", "Nordic, Loft, Cabin",
                             "Solid, simple and easy to assemble: a {noun} for years to come."),),
        "Lighting": (_shelf("Lighting", "Desk Lamp 19-129, Floor Lamp 49-249, "
                            "String Lights 9-39, Pendant Light 39-219", "Glow, Halo, Ember",
                            "Warm, dimmable light from an energy-saving {noun}."),),
    },
    "Sports & Outdoors": {
        "Camping": (_shelf("Camping", "Two-Person Tent 89-449, Sleeping Bag 49-299, "
                           "Camp Stove 29-149, Headlamp 12-69, Water Filter 19-99",
                           "Summit, Ridge, Basecamp, Alpine",
                           "A light, packable {noun} tested on real trails."),),
        "Fitness": (_shelf("Fitness", "Yoga Mat 15-89, Kettlebell 19-119, Resistance Bands 9-39, "
                           "Jump Rope 7-29, Foam Roller 12-49", "Core, Flex, Iron",
                           "Train at home with a sturdy {noun}."),),
        "Cycling": (_shelf("Cycling", "Bike Helmet 39-199, Bike Light Set 19-89, "
                           "Saddle Bag 15-59, Floor Pump 25-79", "Velo, Cadence, Gravel",
                           "Ride safer and farther with this {noun}."),),
    },
    "Fashion": {
        "Shoes": (_shelf("Shoes", "Trail Runners 79-179, Leather Boots 119-289, "
                         "Canvas Sneakers 39-99", "Stride, Urban, Peak",
                         "Comfortable {noun} with a grippy, long-lasting sole."),),
        "Clothing": (_shelf("Clothing", "Rain Jacket 69-289, Merino T-Shirt 35-89, "
                            "Fleece Hoodie 45-129, Hiking Pants 49-139",
                            "Storm, Everyday, Trail",
                            "A {noun} that breathes, dries fast and packs small."),),
    },
    "Books": {
        "Fiction": (_shelf("Fiction", "Mystery 9-24, Space Opera 9-29, Historical Novel 11-32, "
                           "Short Stories 8-22", "The Silent, Beyond the, Letters from the",
                           "A gripping {noun} readers could not put down."),),
        "Non-fiction": (_shelf("Non-fiction", "Cookbook 15-45, Travel Guide 12-35, "
                               "Biography 14-38, Field Guide to Birds 18-42",
                               "The Essential, Everyday, Illustrated",
                               "The {noun} everyone is recommending this year."),),
        "Children's Books": (_shelf("Children's Books", "Picture Book 6-19, Activity Book 5-15, "
                                    "Bedtime Stories 7-22", "Little, Sunny, Moonlit",
                                    "A {noun} for curious young readers."),),
    },
}  # fmt: skip
