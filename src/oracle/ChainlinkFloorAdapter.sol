// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../governance/Governed.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IFloorOracle} from "../interfaces/IFloorOracle.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @title ChainlinkFloorAdapter
/// @notice Serves Chainlink `AggregatorV3Interface` NFT floor feeds through `IFloorOracle` (SPEC §6). Governance maps
///         each collection to a feed and a staleness bound; the answer is converted from the feed's decimals to the
///         pool asset's decimals, rounding down.
/// @dev `floorPrice` never reverts, whatever the feed does. The feed is read with low-level `staticcall`s (stronger
///      than `try/catch`, which cannot catch a revert while decoding malformed or empty return data, e.g. from a
///      self-destructed feed), and return data is decoded as plain words so that out-of-range values cannot revert.
///      The outcome per case:
///      - no feed set: `(0, 0, false)`;
///      - a feed call reverts, returns short data, or reports more than 36 decimals: `(0, 0, false)`;
///      - `answer <= 0`, or the converted answer overflows 256 bits: `(0, updatedAt, false)`;
///      - otherwise `(converted, updatedAt, fresh)` with `fresh` iff `converted > 0`, `0 < updatedAt <= now`
///        and `now - updatedAt <= maxAge`.
///      `decimals()` is read on every call rather than cached, so a Chainlink proxy re-pointed to an aggregator with
///      other decimals can never be mis-scaled.
contract ChainlinkFloorAdapter is IFloorOracle, UUPSUpgradeable, Governed {
    /// @notice Largest decimals accepted for the pool asset and for a feed.
    uint8 public constant MAX_DECIMALS = 36;
    /// @notice Shortest staleness bound governance may set.
    uint32 public constant MIN_MAX_AGE = 60;
    /// @notice Longest staleness bound governance may set.
    uint32 public constant MAX_MAX_AGE = 7 days;

    /// @notice One collection's feed.
    /// @param feed The Chainlink aggregator (or proxy); zero when none is set.
    /// @param maxAge Seconds after the feed's `updatedAt` during which its answer is fresh.
    struct Feed {
        address feed;
        uint32 maxAge;
    }

    /// @custom:storage-location erc7201:strata.storage.ChainlinkFloorAdapter
    struct ChainlinkFloorAdapterStorage {
        uint8 assetDecimals;
        mapping(address collection => Feed) feeds;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.ChainlinkFloorAdapter")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant CHAINLINK_FLOOR_ADAPTER_STORAGE =
        0x60e89e75c2fdfe30cd07a7c931889ef9b58dd61e0283a527b1ecac8b0cc67e00;

    /// @notice The pool asset's decimals are above `MAX_DECIMALS`.
    error AssetDecimalsOutOfBounds(uint8 assetDecimals, uint8 maxDecimals);
    /// @notice The feed's `decimals()` reverted or returned malformed data.
    error InvalidFeed(address feed);
    /// @notice The feed reports more than `MAX_DECIMALS` decimals.
    error FeedDecimalsOutOfBounds(address feed, uint256 feedDecimals, uint8 maxDecimals);
    /// @notice A feed parameter is outside its bounds: `maxAge` outside `[MIN_MAX_AGE, MAX_MAX_AGE]` (the one shape of
    ///         every out-of-bounds parameter, as `IStrataPool.ParameterOutOfBounds`).
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);

    /// @notice Emitted at initialization with the pool asset's decimals.
    event AssetDecimalsSet(uint8 assetDecimals);
    /// @notice Emitted when governance sets or replaces a collection's feed (old values are zero on first set).
    event FeedSet(address indexed collection, address oldFeed, uint32 oldMaxAge, address feed, uint32 maxAge);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the proxy.
    /// @param governance The governance address (the timelock); must not be zero.
    /// @param guardian An initial guardian, or zero for none.
    /// @param assetDecimals_ The pool asset's decimals, `<= MAX_DECIMALS`; prices are returned in these units.
    function initialize(address governance, address guardian, uint8 assetDecimals_) external initializer {
        if (assetDecimals_ > MAX_DECIMALS) revert AssetDecimalsOutOfBounds(assetDecimals_, MAX_DECIMALS);
        __Governed_init(governance, guardian);
        _storage().assetDecimals = assetDecimals_;
        emit AssetDecimalsSet(assetDecimals_);
    }

    /// @notice Sets or replaces the feed of `collection`. Only governance.
    /// @param collection The ERC-721 collection; must not be zero.
    /// @param feed A Chainlink `AggregatorV3Interface` whose `decimals()` is at most `MAX_DECIMALS`; must not be zero.
    /// @param maxAge Staleness bound in seconds, in `[MIN_MAX_AGE, MAX_MAX_AGE]`.
    function setFeed(address collection, address feed, uint32 maxAge) external onlyGovernance {
        if (collection == address(0) || feed == address(0)) revert ZeroAddress();
        if (maxAge < MIN_MAX_AGE || maxAge > MAX_MAX_AGE) {
            revert ParameterOutOfBounds("maxAge", maxAge, MIN_MAX_AGE, MAX_MAX_AGE);
        }
        (bool ok, uint256 feedDecimals) = _readDecimals(feed);
        if (!ok) revert InvalidFeed(feed);
        if (feedDecimals > MAX_DECIMALS) revert FeedDecimalsOutOfBounds(feed, feedDecimals, MAX_DECIMALS);

        Feed storage f = _storage().feeds[collection];
        emit FeedSet(collection, f.feed, f.maxAge, feed, maxAge);
        f.feed = feed;
        f.maxAge = maxAge;
    }

    /// @inheritdoc IFloorOracle
    /// @dev See the contract-level documentation for every failure case; this function never reverts.
    function floorPrice(address collection) external view returns (uint256 price, uint256 updatedAt, bool fresh) {
        ChainlinkFloorAdapterStorage storage $ = _storage();
        Feed memory f = $.feeds[collection];
        if (f.feed == address(0)) return (0, 0, false);

        (bool ok, uint256 feedDecimals) = _readDecimals(f.feed);
        if (!ok || feedDecimals > MAX_DECIMALS) return (0, 0, false);

        bytes memory data;
        (ok, data) = f.feed.staticcall(abi.encodeCall(AggregatorV3Interface.latestRoundData, ()));
        if (!ok || data.length < 160) return (0, 0, false);
        (, int256 answer,, uint256 feedUpdatedAt,) = abi.decode(data, (uint256, int256, uint256, uint256, uint256));
        updatedAt = feedUpdatedAt;
        if (answer <= 0) return (0, updatedAt, false);

        // casting to 'uint256' is safe because answer > 0
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 raw = uint256(answer);
        uint256 assetDec = $.assetDecimals;
        if (assetDec >= feedDecimals) {
            uint256 factor = 10 ** (assetDec - feedDecimals);
            if (raw > type(uint256).max / factor) return (0, updatedAt, false);
            price = raw * factor;
        } else {
            price = raw / 10 ** (feedDecimals - assetDec); // rounds down
        }
        // forge-lint: disable-next-line(block-timestamp)
        fresh = price > 0 && updatedAt != 0 && updatedAt <= block.timestamp && block.timestamp - updatedAt <= f.maxAge;
    }

    /// @notice The pool asset's decimals, in which prices are returned.
    /// @return The decimals.
    function assetDecimals() external view returns (uint8) {
        return _storage().assetDecimals;
    }

    /// @notice The feed and staleness bound of `collection` (zero when unset).
    /// @param collection The collection.
    /// @return The `Feed` record.
    function feedInfo(address collection) external view returns (Feed memory) {
        return _storage().feeds[collection];
    }

    /// @dev Upgrades are a governance decision (the timelock).
    function _authorizeUpgrade(address) internal override onlyGovernance {}

    /// @dev `decimals()` via `staticcall`, decoded as a full word; `ok` is false on revert or short return data.
    function _readDecimals(address feed) private view returns (bool ok, uint256 feedDecimals) {
        bytes memory data;
        (ok, data) = feed.staticcall(abi.encodeCall(AggregatorV3Interface.decimals, ()));
        if (!ok || data.length < 32) return (false, 0);
        feedDecimals = abi.decode(data, (uint256));
    }

    function _storage() private pure returns (ChainlinkFloorAdapterStorage storage $) {
        assembly {
            $.slot := CHAINLINK_FLOOR_ADAPTER_STORAGE
        }
    }
}
