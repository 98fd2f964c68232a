// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFloorOracle} from "./IFloorOracle.sol";

/// @title IAppraisalOracle
/// @notice The push-based collection floor oracle (SPEC §6, docs/oracle.md): governance lists collections and appoints
///         reporters, reporters push raw floors, the oracle serves their exponential moving average through
///         `IFloorOracle.floorPrice`. `AppraisalOracle` implements it.
interface IAppraisalOracle is IFloorOracle {
    /// @notice One collection's parameters and EMA state, packed in a single slot (248 bits).
    /// @param value The EMA floor price in pool-asset units; 0 until the first push.
    /// @param updatedAt Timestamp of the last accepted push; 0 until the first push.
    /// @param window EMA window in seconds (0: the latest push is the value).
    /// @param maxDeviationBps Largest accepted move of a raw push away from `value`, in basis points.
    /// @param maxAge Seconds after `updatedAt` during which the value is fresh; non-zero iff the collection is listed.
    struct Collection {
        uint128 value;
        uint40 updatedAt;
        uint32 window;
        uint16 maxDeviationBps;
        uint32 maxAge;
    }

    /// @notice The caller is not an authorised reporter.
    error NotReporter(address caller);
    /// @notice The collection has not been configured by governance.
    error UnknownCollection(address collection);
    /// @notice A pushed price is zero.
    error ZeroPrice(address collection);
    /// @notice A pushed price does not fit the oracle's `uint128` storage.
    error PriceTooLarge(address collection, uint256 price, uint256 maxPrice);
    /// @notice A pushed price is further than `maxDeviationBps` from the current EMA value.
    error PriceDeviationTooHigh(address collection, uint256 price, uint256 value, uint256 maxDeviationBps);
    /// @notice A collection parameter is outside its bounds: `parameter` is `window` (`[0, MAX_WINDOW]`),
    ///         `maxDeviationBps` (`[MIN_DEVIATION_BPS, MAX_DEVIATION_BPS]`) or `maxAge` (`[MIN_MAX_AGE, MAX_MAX_AGE]`)
    ///         (the one shape of every out-of-bounds parameter, as `IStrataPool.ParameterOutOfBounds`).
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);

    /// @notice Emitted when governance grants (`enabled`) or revokes the reporter role.
    event ReporterSet(address indexed reporter, bool previousEnabled, bool enabled);
    /// @notice Emitted when governance lists or re-configures a collection (old values are zero on first listing).
    event OracleCollectionConfigured(
        address indexed collection,
        uint32 oldWindow,
        uint16 oldMaxDeviationBps,
        uint32 oldMaxAge,
        uint32 window,
        uint16 maxDeviationBps,
        uint32 maxAge
    );
    /// @notice Emitted on every accepted push, with the raw price and the EMA before and after it.
    event PricePushed(
        address indexed collection, address indexed reporter, uint256 price, uint256 oldValue, uint256 newValue
    );

    /// @notice Grants or revokes the reporter role. Only governance.
    /// @param reporter The account; must not be zero.
    /// @param enabled Whether `reporter` may push prices.
    function setReporter(address reporter, bool enabled) external;

    /// @notice Lists a collection or changes its parameters. Only governance. A re-configuration keeps the current
    ///         value and timestamp (the new `maxAge` applies to it at once).
    /// @param collection The ERC-721 collection; must not be zero.
    /// @param window EMA window in seconds, `<= MAX_WINDOW` (0: the latest push is the value).
    /// @param maxDeviationBps Largest accepted move of a push from the value, in `[MIN_DEVIATION_BPS, MAX_DEVIATION_BPS]`.
    /// @param maxAge Staleness bound in seconds, in `[MIN_MAX_AGE, MAX_MAX_AGE]`.
    function configureCollection(address collection, uint32 window, uint16 maxDeviationBps, uint32 maxAge) external;

    /// @notice Pushes a raw floor price for `collection` and folds it into the EMA. Only reporters.
    /// @dev Reverts with `UnknownCollection`, `ZeroPrice`, `PriceTooLarge` or `PriceDeviationTooHigh`. The first push
    ///      after listing sets the value directly.
    /// @param collection A listed collection.
    /// @param price The observed floor price in pool-asset units.
    function pushPrice(address collection, uint256 price) external;

    /// @notice A collection's parameters and EMA state (all zero when unlisted).
    /// @param collection The collection.
    /// @return The packed `Collection` record.
    function collectionInfo(address collection) external view returns (Collection memory);

    /// @notice Whether `account` may push prices.
    /// @param account The account.
    /// @return True if `account` is a reporter.
    function isReporter(address account) external view returns (bool);

    /// @notice The EMA step the oracle applies: `floor(value + (price - value) * min(elapsed, window) / window)`, or
    ///         `price` when `window == 0` or `elapsed >= window`.
    /// @dev Pure and public so integrators and the SDK (`ts-sdk/src/math/oracle.ts`) can reproduce it exactly. The result
    ///      always lies between `value` and `price` inclusive.
    /// @param value The stored EMA value.
    /// @param price The pushed raw price.
    /// @param elapsed Seconds since the last accepted push.
    /// @param window The EMA window in seconds.
    /// @return The new EMA value.
    function emaUpdate(uint256 value, uint256 price, uint256 elapsed, uint256 window) external pure returns (uint256);
}
