// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../governance/Governed.sol";
import {IAppraisalOracle} from "../interfaces/IAppraisalOracle.sol";
import {IFloorOracle} from "../interfaces/IFloorOracle.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @title AppraisalOracle
/// @notice Push-based collection floor oracle (SPEC §6). Governance lists a collection with a smoothing `window`, a
///         `maxDeviationBps` and a `maxAge`; authorised reporters push raw floor prices; the oracle keeps an
///         exponential moving average (EMA) of the pushes and serves it through `IFloorOracle.floorPrice`.
/// @dev EMA update, for a push of `price` at `now` over a stored `(value, updatedAt)`:
///
///          elapsed = min(now - updatedAt, window)
///          value'  = value + (price - value) * elapsed / window        (window == 0: value' = price)
///
///      computed as `floor` of the exact rational result in both directions (an increase adds
///      `mulDivDown(price - value, elapsed, window)`, a decrease subtracts `mulDivUp(value - price, elapsed, window)`),
///      so the appraisal is never overstated by rounding (SPEC §2) and `value'` always lies between `value` and
///      `price` inclusive. `updatedAt` becomes `now` on every accepted push, so freshness is "a reporter confirmed
///      the market within `maxAge`".
///
///      Deviation guard: a push is rejected when `|price - value| > value * maxDeviationBps / 10_000` (exact
///      integer comparison), `value` being the stored EMA. The first push after a collection is listed sets the
///      value directly (there is nothing to deviate from). Re-configuring a listed collection keeps its value and
///      timestamp; there is deliberately no governance price override. If the market moves further than
///      `maxDeviationBps` at once, reporters walk the value in steps (each full `window` lets a push within the bound
///      replace the value entirely) or governance temporarily widens `maxDeviationBps` (hard-capped at 50 %).
///
///      Storage packs one collection into one slot: the value is held as `uint128` (pushes above `type(uint128).max`
///      are rejected) and `updatedAt` as `uint40`.
contract AppraisalOracle is IAppraisalOracle, UUPSUpgradeable, Governed {
    /// @notice Longest EMA window governance may set.
    uint32 public constant MAX_WINDOW = 7 days;
    /// @notice Smallest deviation bound governance may set (0.01 %).
    uint16 public constant MIN_DEVIATION_BPS = 1;
    /// @notice Largest deviation bound governance may set (50 %).
    uint16 public constant MAX_DEVIATION_BPS = 5000;
    /// @notice Shortest staleness bound governance may set.
    uint32 public constant MIN_MAX_AGE = 60;
    /// @notice Longest staleness bound governance may set.
    uint32 public constant MAX_MAX_AGE = 7 days;

    /// @custom:storage-location erc7201:strata.storage.AppraisalOracle
    struct AppraisalOracleStorage {
        mapping(address collection => Collection) collections;
        mapping(address account => bool) reporters;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.AppraisalOracle")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant APPRAISAL_ORACLE_STORAGE =
        0xb26643cab40aef5296194c27fec3b75a6e47c9a0c1c144de48a209e315b58500;

    modifier onlyReporter() {
        if (!_storage().reporters[msg.sender]) revert NotReporter(msg.sender);
        _;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the proxy: `governance` (the timelock) holds every admin right, `guardian` may pause.
    /// @param governance The governance address; must not be zero.
    /// @param guardian An initial guardian, or zero for none.
    function initialize(address governance, address guardian) external initializer {
        __Governed_init(governance, guardian);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IAppraisalOracle
    function setReporter(address reporter, bool enabled) external onlyGovernance {
        if (reporter == address(0)) revert ZeroAddress();
        AppraisalOracleStorage storage $ = _storage();
        bool previous = $.reporters[reporter];
        $.reporters[reporter] = enabled;
        emit ReporterSet(reporter, previous, enabled);
    }

    /// @inheritdoc IAppraisalOracle
    function configureCollection(address collection, uint32 window, uint16 maxDeviationBps, uint32 maxAge)
        external
        onlyGovernance
    {
        if (collection == address(0)) revert ZeroAddress();
        if (window > MAX_WINDOW) revert ParameterOutOfBounds("window", window, 0, MAX_WINDOW);
        if (maxDeviationBps < MIN_DEVIATION_BPS || maxDeviationBps > MAX_DEVIATION_BPS) {
            revert ParameterOutOfBounds("maxDeviationBps", maxDeviationBps, MIN_DEVIATION_BPS, MAX_DEVIATION_BPS);
        }
        if (maxAge < MIN_MAX_AGE || maxAge > MAX_MAX_AGE) {
            revert ParameterOutOfBounds("maxAge", maxAge, MIN_MAX_AGE, MAX_MAX_AGE);
        }

        Collection storage c = _storage().collections[collection];
        emit OracleCollectionConfigured(
            collection, c.window, c.maxDeviationBps, c.maxAge, window, maxDeviationBps, maxAge
        );
        c.window = window;
        c.maxDeviationBps = maxDeviationBps;
        c.maxAge = maxAge;
    }

    // ---------------------------------------------------------------- reporters

    /// @inheritdoc IAppraisalOracle
    function pushPrice(address collection, uint256 price) external onlyReporter {
        Collection memory c = _storage().collections[collection];
        if (c.maxAge == 0) revert UnknownCollection(collection);
        if (price == 0) revert ZeroPrice(collection);
        if (price > type(uint128).max) revert PriceTooLarge(collection, price, type(uint128).max);

        uint256 oldValue = c.value;
        uint256 newValue;
        if (oldValue == 0) {
            newValue = price;
        } else {
            uint256 diff = price > oldValue ? price - oldValue : oldValue - price;
            if (diff > FixedPointMath.bpsDown(oldValue, c.maxDeviationBps)) {
                revert PriceDeviationTooHigh(collection, price, oldValue, c.maxDeviationBps);
            }
            newValue = emaUpdate(oldValue, price, block.timestamp - c.updatedAt, c.window);
        }

        Collection storage s = _storage().collections[collection];
        // casting to 'uint128' is safe because newValue lies between oldValue and price, both <= type(uint128).max
        // forge-lint: disable-next-line(unsafe-typecast)
        s.value = uint128(newValue);
        // casting to 'uint40' is safe until the year 36812
        // forge-lint: disable-next-line(unsafe-typecast)
        s.updatedAt = uint40(block.timestamp);
        emit PricePushed(collection, msg.sender, price, oldValue, newValue);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IFloorOracle
    /// @dev `(0, 0, false)` for an unlisted collection or one that has never been pushed.
    function floorPrice(address collection) external view returns (uint256 price, uint256 updatedAt, bool fresh) {
        Collection memory c = _storage().collections[collection];
        price = c.value;
        updatedAt = c.updatedAt;
        // forge-lint: disable-next-line(block-timestamp)
        fresh = price > 0 && block.timestamp - updatedAt <= c.maxAge;
    }

    /// @inheritdoc IAppraisalOracle
    function collectionInfo(address collection) external view returns (Collection memory) {
        return _storage().collections[collection];
    }

    /// @inheritdoc IAppraisalOracle
    function isReporter(address account) external view returns (bool) {
        return _storage().reporters[account];
    }

    /// @inheritdoc IAppraisalOracle
    function emaUpdate(uint256 value, uint256 price, uint256 elapsed, uint256 window) public pure returns (uint256) {
        if (elapsed >= window) return price; // also covers window == 0
        if (price >= value) return value + FixedPointMath.mulDivDown(price - value, elapsed, window);
        return value - FixedPointMath.mulDivUp(value - price, elapsed, window);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Upgrades are a governance decision (the timelock).
    function _authorizeUpgrade(address) internal override onlyGovernance {}

    function _storage() private pure returns (AppraisalOracleStorage storage $) {
        assembly {
            $.slot := APPRAISAL_ORACLE_STORAGE
        }
    }
}
